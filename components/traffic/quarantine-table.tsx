"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { UtcTime } from "@/components/data-table/utc-time";
import { QUARANTINE_TABLE } from "@/lib/traffic/list-view";
import type { QuarantineRow } from "@/lib/traffic/queries";

const helper = createColumnHelper<DataTableFeatures, QuarantineRow>();

const columns = [
  helper.accessor("receivedAt", {
    id: "receivedAt",
    header: "Received (UTC)",
    cell: (info) => <UtcTime iso={info.getValue()} />,
  }),
  helper.accessor("reason", { id: "reason", header: "Why it could not be read" }),
  helper.accessor("record", {
    id: "record",
    header: "Record as sent",
    // Shown as text (React escapes it), credentials already redacted when it was kept.
    cell: (info) => <code className="small quarantine-record">{info.getValue()}</code>,
  }),
] as DataTableColumn<QuarantineRow>[];

export const QuarantineTable = listTable<QuarantineRow>({
  caption: "Quarantined records",
  columns,
  spec: QUARANTINE_TABLE,
  rowId: (row) => row.id,
  empty: "Nothing in the quarantine: every record this source sent could be read.",
});
