// The document register's list view (client-safe): by kind then title, or by title.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const DOCUMENT_TABLE = defineTable({ sorts: ["kind", "title"], defaultSort: "kind" });

export const parseDocumentView = (raw: SearchParamsRecord) => parseTableParams(raw, DOCUMENT_TABLE);
export type DocumentView = ReturnType<typeof parseDocumentView>;
