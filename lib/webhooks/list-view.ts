// The webhook delivery log's list view (client-safe): newest first, or by status or event.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const DELIVERY_TABLE = defineTable({
  sorts: ["createdAt", "status", "type"],
  defaultSort: "createdAt",
  defaultDesc: true,
});

export const parseDeliveryView = (raw: SearchParamsRecord) => parseTableParams(raw, DELIVERY_TABLE);
export type DeliveryView = ReturnType<typeof parseDeliveryView>;
