import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getApiFormOptions, listApis } from "@/lib/apis/queries";
import { parseListParams, toSearchParams } from "@/lib/apis/list-params";
import { InventoryTable } from "@/components/apis/inventory-table";
import { InventoryFilters } from "@/components/apis/inventory-filters";

export const metadata: Metadata = { title: "API inventory" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function InventoryPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseListParams(await searchParams);
  const actor = await requireActor();
  const options = await getApiFormOptions(actor);
  const exportQuery = toSearchParams({ ...params, page: 1 }).toString();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API inventory</h1>
          <p>Every registered API with its exposure, data, access controls and ISM control status.</p>
        </div>
        <div className="row">
          <a className="btn" href={`/api/apis/export${exportQuery ? `?${exportQuery}` : ""}`} download>
            Download CSV
          </a>
          <Link className="btn" href="/apis/backstage">
            Backstage catalog
          </Link>
          {canSometimes(actor, "api:create") ? (
            <Link className="btn btn-primary" href="/apis/new">
              Register an API
            </Link>
          ) : null}
        </div>
      </div>
      <InventoryFilters
        params={params}
        teams={options.teams}
        owners={options.users.map((u) => ({ id: u.id, name: u.name }))}
      />
      {/* Keyed by what picks the rows, not by how they are shown: sorting, paging or hiding a column keeps
          the table mounted (focus stays on the header or checkbox, the Columns menu stays open) while the
          new rows load, with the table marked busy; a new search or filter shows the skeleton. */}
      <Suspense
        key={JSON.stringify([params.q, params.filters, params.teamIds, params.owner, params.tag])}
        fallback={<TableSkeleton />}
      >
        <InventoryRows params={params} />
      </Suspense>
    </>
  );
}

async function InventoryRows({ params }: { params: ReturnType<typeof parseListParams> }) {
  const actor = await requireActor();
  const { rows, total } = await listApis(actor, params);
  return <InventoryTable rows={rows} total={total} params={params} canCreate={canSometimes(actor, "api:create")} />;
}

function TableSkeleton() {
  return (
    <div className="table-wrap" aria-busy="true">
      <p className="muted" style={{ padding: "1rem" }}>
        Loading APIs…
      </p>
    </div>
  );
}
