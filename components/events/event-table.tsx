"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { UtcTime } from "@/components/data-table/utc-time";
import { EVENT_TABLE, type EventView } from "@/lib/events/list-view";
import { OUTCOME_LABELS } from "@/lib/events/outcomes";
import type { listAuthEvents } from "@/lib/events/queries";

/** One event as the keyset query reads it. */
export type EventRow = Awaited<ReturnType<typeof listAuthEvents>>["data"][number];

const helper = createColumnHelper<DataTableFeatures, EventRow>();
const small = (value: string) => <span className="small">{value}</span>;

const columns = [
  helper.accessor("time", {
    id: "time",
    header: "Time (UTC)",
    cell: (info) => <UtcTime iso={info.getValue()} />,
  }),
  helper.accessor("clientId", { id: "client", header: "Client", cell: (info) => small(info.getValue()) }),
  helper.accessor("principal", { id: "principal", header: "Principal", cell: (info) => small(info.getValue()) }),
  helper.accessor("outcome", {
    id: "outcome",
    header: "Outcome",
    cell: (info) => (
      <span className={`badge ${info.getValue() === "success" ? "badge-MET" : "badge-NOT_MET"}`}>
        {OUTCOME_LABELS[info.getValue()]}
      </span>
    ),
  }),
  helper.accessor((e) => `${e.method} ${e.route}`, {
    id: "call",
    header: "Call",
    cell: (info) => <code className="small">{info.getValue()}</code>,
  }),
  helper.accessor("sourceIp", { id: "from", header: "From", cell: (info) => small(info.getValue()) }),
] as DataTableColumn<EventRow>[];

/** An API's authentication events on the table kit, newest first, paged by cursor (lib/events/list-view.ts). */
export function EventTable(props: { rows: EventRow[]; view: EventView; newest: string | null; older: string | null }) {
  return (
    <DataTable
      caption="Authentication events, newest first"
      columns={columns}
      data={props.rows}
      rowCount={props.rows.length}
      params={props.view}
      spec={EVENT_TABLE}
      getRowId={(row) => row.id}
      emptyMessage={<p className="muted">No events match.</p>}
      cursor={{ newest: props.newest, older: props.older }}
    />
  );
}
