// The audit log's list view (client-safe): newest first by sequence number, filtered by kind of action.
import { defineTable, firstParam, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const AUDIT_TABLE = defineTable({
  sorts: ["seq"],
  defaultSort: "seq",
  defaultDesc: true,
  pageSizes: [50, 100, 200],
});

export const AUDIT_ACTION_FILTERS = [
  ["", "All"],
  ["api.", "API changes"],
  ["auth.", "Sign-ins"],
  ["user.", "Users"],
  ["ism.", "ISM imports"],
  ["team.", "Teams"],
  ["token.", "API tokens"],
  ["rest.", "REST call batches"],
  ["evidence.", "Evidence exports"],
] as const;

export function parseAuditView(raw: SearchParamsRecord) {
  const action = firstParam(raw, "action");
  return {
    ...parseTableParams(raw, AUDIT_TABLE),
    action: AUDIT_ACTION_FILTERS.some(([v]) => v === action) ? action : "",
  };
}
export type AuditView = ReturnType<typeof parseAuditView>;
