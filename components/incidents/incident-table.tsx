"use client";
import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { SeverityBadge } from "@/components/incidents/severity-badge";
import { INCIDENT_TABLE } from "@/lib/incidents/list-view";
import { INCIDENT_LABELS } from "@/lib/incidents/schemas";
import type { IncidentListRow } from "@/lib/incidents/queries";

const helper = createColumnHelper<DataTableFeatures, IncidentListRow>();
const minute = (iso: string) => <time dateTime={iso}>{iso.replace("T", " ").slice(0, 16)}</time>;

const columns = [
  helper.accessor("title", {
    id: "title",
    header: "Incident",
    cell: ({ row: { original: i } }) => (
      <>
        <Link href={`/incidents/${i.id}`}>{i.title}</Link>
        <div className="small muted">{INCIDENT_LABELS.type[i.type]}</div>
      </>
    ),
  }),
  helper.accessor("severity", {
    id: "severity",
    header: "Severity",
    cell: (info) => <SeverityBadge severity={info.getValue()} />,
  }),
  helper.accessor("status", {
    id: "status",
    header: "Status",
    cell: (info) => INCIDENT_LABELS.status[info.getValue()],
  }),
  helper.accessor((i) => i.apis.map((a) => a.name).join(", "), {
    id: "apis",
    header: "Affected APIs",
    cell: (info) => <span className="small">{info.getValue()}</span>,
  }),
  helper.accessor("detectedAt", {
    id: "detectedAt",
    header: "Detected (UTC)",
    cell: (info) => minute(info.getValue()),
  }),
  helper.accessor("reportedAt", {
    id: "reportedAt",
    header: "Reported (UTC)",
    cell: (info) => minute(info.getValue()),
  }),
] as DataTableColumn<IncidentListRow>[];

export const IncidentTable = listTable<IncidentListRow>({
  caption: "Incidents",
  columns,
  spec: INCIDENT_TABLE,
  rowId: (row) => row.id,
  empty: "No incidents recorded.",
});
