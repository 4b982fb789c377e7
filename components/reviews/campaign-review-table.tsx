"use client";
import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { ReviewStateBadge } from "@/components/reviews/review-state-badge";
import { CAMPAIGN_REVIEW_TABLE } from "@/lib/reviews/list-view";
import type { CampaignReviewRow } from "@/lib/reviews/review-view";

const helper = createColumnHelper<DataTableFeatures, CampaignReviewRow>();

const columns = [
  helper.accessor("apiName", {
    id: "api",
    header: "API",
    cell: ({ row: { original: r } }) => <Link href={`/reviews/${r.id}`}>{r.apiName}</Link>,
  }),
  helper.accessor("team", { id: "team", header: "Team" }),
  helper.accessor("reviewer", {
    id: "reviewer",
    header: "Reviewer",
    cell: (info) => info.getValue() ?? <span className="badge badge-CANNOT_JUDGE">unassigned</span>,
  }),
  helper.accessor("state", {
    id: "state",
    header: "Status",
    cell: (info) => <ReviewStateBadge state={info.getValue()} />,
  }),
] as DataTableColumn<CampaignReviewRow>[];

export const CampaignReviewTable = listTable<CampaignReviewRow>({
  caption: "Reviews of the campaign",
  columns,
  spec: CAMPAIGN_REVIEW_TABLE,
  rowId: (row) => row.id,
  empty: "No reviews in this campaign.",
});
