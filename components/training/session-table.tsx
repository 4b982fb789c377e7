"use client";
import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { TRAINING_TABLE } from "@/lib/training/list-view";
import type { TrainingSessionRow } from "@/lib/training/queries";

const helper = createColumnHelper<DataTableFeatures, TrainingSessionRow>();

const columns = [
  helper.accessor("topic", {
    id: "topic",
    header: "Topic",
    cell: ({ row: { original: s } }) => (
      <>
        <Link href={`/training/${s.id}`}>{s.topic}</Link>
        {s.isApiSecurity ? null : <div className="small muted">Not counted as API-security training</div>}
      </>
    ),
  }),
  helper.accessor("heldOn", {
    id: "heldOn",
    header: "Date",
    cell: (info) => <span className="nowrap">{info.getValue()}</span>,
  }),
  helper.accessor("trainer", { id: "trainer", header: "Trainer" }),
  helper.accessor("durationMinutes", {
    id: "durationMinutes",
    header: "Duration",
    cell: (info) => `${info.getValue()} min`,
  }),
  helper.accessor("attendees", { id: "attendees", header: "Attendees" }),
] as DataTableColumn<TrainingSessionRow>[];

export const SessionTable = listTable<TrainingSessionRow>({
  caption: "Training sessions",
  columns,
  spec: TRAINING_TABLE,
  rowId: (row) => row.id,
  empty: "No sessions recorded.",
});
