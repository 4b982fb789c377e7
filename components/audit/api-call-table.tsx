"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { listTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { UtcTime } from "@/components/data-table/utc-time";
import { API_CALL_TABLE } from "@/lib/rest/list-view";
import type { ApiCallRow } from "@/lib/rest/queries";

const helper = createColumnHelper<DataTableFeatures, ApiCallRow>();

const columns = [
  helper.accessor("at", {
    id: "at",
    header: "Time (UTC)",
    cell: (info) => <UtcTime iso={info.getValue()} />,
  }),
  helper.accessor("token", { id: "token", header: "Token" }),
  helper.accessor("user", { id: "user", header: "Account" }),
  helper.accessor("route", {
    id: "call",
    header: "Call",
    cell: ({ row: { original: c } }) => (
      <code className="small">
        {c.method} {c.route}
      </code>
    ),
  }),
  helper.accessor("status", {
    id: "status",
    header: "Status",
    cell: (info) => (
      <span className={`badge ${info.getValue() < 400 ? "badge-MET" : "badge-NOT_MET"}`}>{info.getValue()}</span>
    ),
  }),
  helper.accessor("durationMs", { id: "durationMs", header: "Took (ms)" }),
  helper.accessor("ip", { id: "ip", header: "From", cell: (info) => <span className="small">{info.getValue()}</span> }),
] as DataTableColumn<ApiCallRow>[];

export const ApiCallTable = listTable<ApiCallRow>({
  caption: "REST API calls",
  columns,
  spec: API_CALL_TABLE,
  rowId: (row) => row.id,
  empty: "No calls yet.",
});
