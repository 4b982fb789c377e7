// The traffic pages' lists (client-safe): the sources, a source's quarantine, the suggested routing rules.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

/** The sources: by name, or the one that sent last first. */
export const SOURCE_TABLE = defineTable({ sorts: ["name", "lastReceivedAt"], defaultSort: "name" });
export const parseSourceView = (raw: SearchParamsRecord) => parseTableParams(raw, SOURCE_TABLE);
export type SourceView = ReturnType<typeof parseSourceView>;

/** A source's quarantine: newest first. */
export const QUARANTINE_TABLE = defineTable({
  sorts: ["receivedAt"],
  defaultSort: "receivedAt",
  defaultDesc: true,
  pageSizes: [50, 100, 200],
});
export const parseQuarantineView = (raw: SearchParamsRecord) => parseTableParams(raw, QUARANTINE_TABLE);
export type QuarantineView = ReturnType<typeof parseQuarantineView>;

/** The suggested routing rules: by API (then team and host), by team or by host. */
export const SUGGESTION_TABLE = defineTable({ sorts: ["api", "team", "host"], defaultSort: "api" });
export const parseSuggestionView = (raw: SearchParamsRecord) => parseTableParams(raw, SUGGESTION_TABLE);
export type SuggestionView = ReturnType<typeof parseSuggestionView>;
