// The event log's list view (client-safe). Events are read newest first by keyset (a cursor of the last
// row's time and id), not by page number: an offset and a count over millions of rows would scan the
// table, a cursor reads one index range per page. The kit shows "Newest" and "Older" instead of pages.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const EVENT_TABLE = defineTable({
  sorts: ["at"],
  defaultSort: "at",
  defaultDesc: true,
  pageSizes: [50, 100, 200],
});

export const parseEventView = (raw: SearchParamsRecord) => parseTableParams(raw, EVENT_TABLE);
export type EventView = ReturnType<typeof parseEventView>;
