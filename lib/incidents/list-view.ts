// The incident register's list view (client-safe): newest report first, or by title or detection time.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const INCIDENT_TABLE = defineTable({
  sorts: ["reportedAt", "detectedAt", "title"],
  defaultSort: "reportedAt",
  defaultDesc: true,
});

export const parseIncidentView = (raw: SearchParamsRecord) => parseTableParams(raw, INCIDENT_TABLE);
export type IncidentView = ReturnType<typeof parseIncidentView>;
