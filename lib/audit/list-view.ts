// The audit log's list view (client-safe): newest first by sequence number, filtered by kind of action.
import { defineTable, firstParam, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";
import { stripRefused } from "@/lib/input/text";

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
  ["session.", "Sessions"],
  ["mfa.", "Second factors"],
  ["group.", "Groups (SCIM)"],
  ["ism.", "ISM imports"],
  ["team.", "Teams"],
  ["token.", "API tokens"],
  ["rest.", "REST call batches"],
  ["evidence.", "Evidence exports"],
] as const;

/**
 * The view: the kind of action, and `q` — who (part of an e-mail address, stored lower-case) or which record
 * (its exact id). Both compare the same way on SQLite and PostgreSQL.
 */
export function parseAuditView(raw: SearchParamsRecord) {
  const action = firstParam(raw, "action");
  const q = stripRefused(firstParam(raw, "q")).trim().slice(0, 200);
  return {
    ...parseTableParams(raw, AUDIT_TABLE),
    action: AUDIT_ACTION_FILTERS.some(([v]) => v === action) ? action : "",
    q,
  };
}
export type AuditView = ReturnType<typeof parseAuditView>;
