"use client";
import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { DocumentStateBadge } from "@/components/documents/document-state-badge";
import { DOCUMENT_TABLE } from "@/lib/documents/list-view";
import { DOCUMENT_KIND_LABELS, REQUIRED_KINDS } from "@/lib/documents/schemas";
import type { DocumentRow } from "@/lib/documents/queries";

const helper = createColumnHelper<DataTableFeatures, DocumentRow>();

const columns = [
  helper.accessor("title", {
    id: "title",
    header: "Document",
    cell: ({ row: { original: d } }) => <Link href={`/documents/${d.id}`}>{d.title}</Link>,
  }),
  helper.accessor("kind", {
    id: "kind",
    header: "Kind",
    cell: (info) => (
      <span className="small">
        {DOCUMENT_KIND_LABELS[info.getValue()]}
        {(REQUIRED_KINDS as readonly string[]).includes(info.getValue()) ? " (required)" : ""}
      </span>
    ),
  }),
  helper.accessor("state", {
    id: "state",
    header: "Status",
    cell: (info) => <DocumentStateBadge state={info.getValue()} />,
  }),
  helper.accessor("inForce", {
    id: "inForce",
    header: "In force",
    cell: (info) => {
      const v = info.getValue();
      return (
        <span className="small">
          {v ? (
            <>
              Version {v.number}
              {v.label ? ` (${v.label})` : ""}, since <span className="nowrap">{v.effectiveDate}</span>
            </>
          ) : (
            "—"
          )}
        </span>
      );
    },
  }),
  helper.accessor((d) => d.inForce?.nextReviewDate ?? "—", {
    id: "nextReview",
    header: "Next review",
    cell: (info) => <span className="small nowrap">{info.getValue()}</span>,
  }),
  helper.accessor("pendingDrafts", {
    id: "pendingDrafts",
    header: "Drafts awaiting approval",
    cell: (info) => <span className="small">{info.getValue() || "—"}</span>,
  }),
] as DataTableColumn<DocumentRow>[];

export const DocumentTable = listTable<DocumentRow>({
  caption: "Documents",
  columns,
  spec: DOCUMENT_TABLE,
  rowId: (row) => row.id,
  empty: "No documents yet.",
});
