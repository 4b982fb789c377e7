"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { UtcTime } from "@/components/data-table/utc-time";
import { DELIVERY_TABLE } from "@/lib/webhooks/list-view";
import type { DeliveryRow } from "@/lib/webhooks/queries";

const helper = createColumnHelper<DataTableFeatures, DeliveryRow>();

const BADGE: Record<string, string> = {
  DELIVERED: "badge-MET",
  FAILED: "badge-NOT_MET",
  PENDING: "badge-CANNOT_JUDGE",
  SENDING: "badge-CANNOT_JUDGE",
};

const columns = [
  helper.accessor("createdAt", {
    id: "createdAt",
    header: "Queued (UTC)",
    cell: ({ row: { original: d } }) => (
      <>
        <UtcTime iso={d.createdAt} />
        <div className="small muted">
          <code>{d.id}</code>
        </div>
      </>
    ),
  }),
  helper.accessor("webhook", { id: "webhook", header: "Webhook" }),
  helper.accessor("type", { id: "type", header: "Event", cell: (info) => <code>{info.getValue()}</code> }),
  helper.accessor("status", {
    id: "status",
    header: "Status",
    cell: ({ row: { original: d } }) => (
      <>
        <span className={`badge ${BADGE[d.status] ?? "badge-neutral"}`}>{d.status.toLowerCase()}</span>
        {d.nextAttemptAt ? (
          <div className="small muted">
            next <UtcTime iso={d.nextAttemptAt} />
          </div>
        ) : null}
      </>
    ),
  }),
  helper.accessor("attempts", { id: "attempts", header: "Attempts" }),
  helper.accessor("lastStatus", {
    id: "lastStatus",
    header: "Last answer",
    cell: ({ row: { original: d } }) => (
      <span className="small">
        {d.lastStatus ? `HTTP ${d.lastStatus}` : d.attempts ? "" : "—"}
        {d.lastError ? <span className="muted"> {d.lastError}</span> : null}
      </span>
    ),
  }),
] as DataTableColumn<DeliveryRow>[];

/** The webhook delivery log: every delivery, newest first, with its status and the receiver's last answer. */
export const DeliveryTable = listTable<DeliveryRow>({
  caption: "Webhook delivery log",
  columns,
  spec: DELIVERY_TABLE,
  rowId: (row) => row.id,
  empty: "Nothing sent yet.",
});
