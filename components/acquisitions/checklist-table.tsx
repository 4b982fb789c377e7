"use client";
import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { OutcomeBadge } from "@/components/acquisitions/outcome-badge";
import { CHECKLIST_TABLE } from "@/lib/acquisitions/list-view";
import type { ChecklistRow } from "@/lib/acquisitions/queries";

const helper = createColumnHelper<DataTableFeatures, ChecklistRow>();

const columns = [
  helper.accessor((c) => `${c.vendor} ${c.product}`, {
    id: "vendor",
    header: "Product",
    cell: ({ row: { original: c } }) => (
      <Link href={`/acquisitions/${c.id}`}>
        {c.vendor} {c.product}
      </Link>
    ),
  }),
  helper.accessor("requestedOn", {
    id: "requestedOn",
    header: "Date",
    cell: (info) => <span className="nowrap">{info.getValue()}</span>,
  }),
  helper.accessor("requester", { id: "requester", header: "Requested by" }),
  helper.accessor("reviewer", { id: "reviewer", header: "Reviewer" }),
  helper.accessor("answered", {
    id: "answered",
    header: "Answered",
    cell: ({ row: { original: c } }) => `${c.answered} of ${c.questions}`,
  }),
  helper.accessor("outcome", {
    id: "outcome",
    header: "Outcome",
    cell: (info) => {
      const outcome = info.getValue();
      return outcome ? <OutcomeBadge outcome={outcome} /> : <span className="muted">Not decided</span>;
    },
  }),
] as DataTableColumn<ChecklistRow>[];

export const ChecklistTable = listTable<ChecklistRow>({
  caption: "Acquisition checklists",
  columns,
  spec: CHECKLIST_TABLE,
  rowId: (row) => row.id,
  empty: "No checklists yet.",
});
