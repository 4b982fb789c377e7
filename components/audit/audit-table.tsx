"use client";
import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { UtcTime } from "@/components/data-table/utc-time";
import { AUDIT_TABLE } from "@/lib/audit/list-view";
import type { AuditRow } from "@/lib/audit/queries";
import type { CustodyOutcome } from "@/lib/evidence/custody";

/** An entry as the log shows it: an evidence export with whether its bundle was stored (lib/evidence/custody.ts). */
export type AuditTableRow = AuditRow & { exportOutcome: CustodyOutcome | null };

const helper = createColumnHelper<DataTableFeatures, AuditTableRow>();

const columns = [
  helper.accessor("seq", { id: "seq", header: "#" }),
  helper.accessor("at", {
    id: "at",
    header: "Time (UTC)",
    cell: (info) => <UtcTime iso={info.getValue()} className="" />,
  }),
  helper.accessor("actorEmail", { id: "actor", header: "Actor" }),
  helper.accessor("action", { id: "action", header: "Action", cell: (info) => <code>{info.getValue()}</code> }),
  helper.accessor("summary", {
    id: "summary",
    header: "What",
    cell: ({ row: { original: e } }) => (
      <>
        {e.targetType === "api" && e.action !== "api.delete" ? (
          <Link href={`/apis/${e.targetId}`}>{e.summary}</Link>
        ) : (
          e.summary
        )}
        {e.exportOutcome ? <ExportOutcome outcome={e.exportOutcome} /> : null}
        <details className="small">
          <summary>Details</summary>
          <pre className="mono" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", margin: "0.3rem 0" }}>
            {JSON.stringify(JSON.parse(e.diff), null, 2)}
          </pre>
          <div className="mono muted">
            hash {e.hash.slice(0, 16)}… · previous {e.prevHash.slice(0, 16)}…
          </div>
        </details>
      </>
    ),
  }),
  helper.accessor("ip", {
    id: "ip",
    header: "Address",
    cell: (info) => <span className="mono small">{info.getValue()}</span>,
  }),
] as DataTableColumn<AuditTableRow>[];

export const AuditTable = listTable<AuditTableRow>({
  caption: "Audit entries",
  columns,
  spec: AUDIT_TABLE,
  rowId: (row) => String(row.seq),
  empty: "No entries of this kind.",
});

/** An export entry's outcome: an entry with none was interrupted (see lib/evidence/custody.ts). */
function ExportOutcome({ outcome }: { outcome: CustodyOutcome }) {
  if (outcome.status === "stored") return <span className="small muted"> — bundle stored</span>;
  if (outcome.status === "failed") return <span className="small"> — failed: {outcome.reason}</span>;
  return (
    <strong className="small">
      {" "}
      — interrupted: no outcome recorded (no bundle may exist, unless an export is running now)
    </strong>
  );
}
