// The acquisition checklists' list view (client-safe): newest request first, or by vendor.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const CHECKLIST_TABLE = defineTable({
  sorts: ["requestedOn", "vendor"],
  defaultSort: "requestedOn",
  defaultDesc: true,
});

export const parseChecklistView = (raw: SearchParamsRecord) => parseTableParams(raw, CHECKLIST_TABLE);
export type ChecklistView = ReturnType<typeof parseChecklistView>;
