// A traffic source's quarantine as a list (client-safe): newest first.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const QUARANTINE_TABLE = defineTable({
  sorts: ["receivedAt"],
  defaultSort: "receivedAt",
  defaultDesc: true,
  pageSizes: [50, 100, 200],
});

export function parseQuarantineView(raw: SearchParamsRecord) {
  return parseTableParams(raw, QUARANTINE_TABLE);
}
export type QuarantineView = ReturnType<typeof parseQuarantineView>;
