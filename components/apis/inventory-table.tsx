"use client";
import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable, type DataTableColumn, type DataTableFeatures } from "@/components/data-table/data-table";
import { ControlBadge } from "@/components/apis/control-badge";
import { SensitivityBadge } from "@/components/apis/sensitivity-badge";
import { LABELS } from "@/lib/apis/enums";
import { CONTROLS, CONTROL_COLUMN, CONTROL_IDS } from "@/lib/ism/controls";
import { INVENTORY_TABLE, type ListParams } from "@/lib/apis/list-params";
import type { InventoryRow } from "@/lib/apis/queries";
import { API_QUIET_DAYS } from "@/lib/observed/flags";

const TRAFFIC_TITLES = {
  ZOMBIE: `Deprecated or retired, and still called in the last ${API_QUIET_DAYS} days`,
  UNUSED: `Active, and no call for ${API_QUIET_DAYS} days or more`,
};

const helper = createColumnHelper<DataTableFeatures, InventoryRow>();

const columns = [
  helper.accessor("name", {
    id: "name",
    header: "Name",
    enableHiding: false,
    cell: (info) => (
      <div style={{ minWidth: 200 }}>
        <Link href={`/apis/${info.row.original.id}`}>
          <strong>{info.getValue()}</strong>
        </Link>
        {info.row.original.traffic ? (
          <>
            {" "}
            <span
              className={`badge ${info.row.original.traffic === "ZOMBIE" ? "badge-NOT_MET" : "badge-CANNOT_JUDGE"}`}
              title={TRAFFIC_TITLES[info.row.original.traffic]}
            >
              {info.row.original.traffic === "ZOMBIE" ? "Zombie" : "Unused"}
            </span>
          </>
        ) : null}
        <div className="small muted">
          {info.row.original.purpose.length > 90
            ? `${info.row.original.purpose.slice(0, 90)}…`
            : info.row.original.purpose}
        </div>
      </div>
    ),
  }),
  helper.accessor((row) => row.team.name, { id: "team", header: "Team" }),
  helper.accessor((row) => row.owner?.name ?? "", {
    id: "owner",
    header: "Owner",
    cell: (info) => info.getValue() || <span className="badge badge-NOT_MET">No owner</span>,
  }),
  helper.accessor("lifecycle", {
    id: "lifecycle",
    header: "Lifecycle",
    cell: (info) => LABELS.lifecycle[info.getValue()],
  }),
  helper.accessor("exposure", {
    id: "exposure",
    header: "Exposure",
    cell: (info) => (
      <>
        {LABELS.exposure[info.getValue()]}
        {info.getValue() === "PARTNER" ? (
          <div className="small muted">
            {info.row.original.partnerLinkPrivate ? "private link" : "over the internet"}
          </div>
        ) : null}
      </>
    ),
  }),
  helper.accessor("sensitivity", {
    id: "sensitivity",
    header: "Sensitivity",
    cell: (info) => <SensitivityBadge level={info.getValue()} />,
  }),
  helper.accessor((row) => row.authMethods.join(","), {
    id: "authMethods",
    header: "Authentication",
    enableSorting: false,
    cell: (info) =>
      info.row.original.authMethods.length ? (
        info.row.original.authMethods.map((m) => LABELS.authMethod[m]).join(", ")
      ) : (
        <span className="muted">Not recorded</span>
      ),
  }),
  helper.accessor((row) => row.authzModel ?? "", {
    id: "authzModel",
    header: "Authorisation",
    enableSorting: false,
    cell: (info) =>
      info.row.original.authzModel ? (
        LABELS.authzModel[info.row.original.authzModel]
      ) : (
        <span className="muted">Not recorded</span>
      ),
  }),
  ...CONTROL_IDS.map((id) =>
    helper.accessor((row) => row.controls[id], {
      id: CONTROL_COLUMN[id],
      header: CONTROLS[id].label,
      enableSorting: false,
      cell: (info) => <ControlBadge status={info.getValue()} compact />,
    }),
  ),
  helper.accessor("updatedAt", {
    id: "updatedAt",
    header: "Updated",
    cell: (info) => <time dateTime={info.getValue()}>{info.getValue().slice(0, 10)}</time>,
  }),
] as DataTableColumn<InventoryRow>[];

export function InventoryTable({
  rows,
  total,
  params,
  toolbar,
  canCreate = false,
}: {
  rows: InventoryRow[];
  total: number;
  params: ListParams;
  toolbar?: React.ReactNode;
  /** Whether the empty inventory may offer to register the first API. */
  canCreate?: boolean;
}) {
  const filtered =
    !!params.q || !!params.tag || !!params.owner || params.teamIds.length > 0 || Object.keys(params.filters).length > 0;
  return (
    <DataTable
      caption="API inventory"
      columns={columns}
      data={rows}
      rowCount={total}
      params={params}
      spec={INVENTORY_TABLE}
      columnsMenu
      getRowId={(row) => row.id}
      toolbar={toolbar}
      emptyMessage={
        filtered ? (
          <p className="muted" style={{ margin: "1rem 0" }}>
            No APIs match this view. <Link href="/apis">Clear the search and filters</Link> to see every API.
          </p>
        ) : (
          <p className="muted" style={{ margin: "1rem 0" }}>
            No API is registered yet.{" "}
            {canCreate ? (
              <>
                <Link href="/apis/new">Register an API</Link>, or bring many at once from a{" "}
                <Link href="/apis/backstage">Backstage catalog</Link>.
              </>
            ) : (
              "System owners register the APIs of their team."
            )}
          </p>
        )
      }
    />
  );
}
