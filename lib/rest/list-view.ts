// The REST call log's list view (client-safe): newest first, optionally only refused and failed calls.
import { defineTable, firstParam, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const API_CALL_TABLE = defineTable({
  sorts: ["at"],
  defaultSort: "at",
  defaultDesc: true,
  pageSizes: [50, 100, 200],
});

export function parseApiCallView(raw: SearchParamsRecord) {
  return { ...parseTableParams(raw, API_CALL_TABLE), failedOnly: firstParam(raw, "failed") === "1" };
}
export type ApiCallView = ReturnType<typeof parseApiCallView>;
