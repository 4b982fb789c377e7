import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listApiCalls } from "@/lib/rest/queries";
import { parseApiCallView } from "@/lib/rest/list-view";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { ApiCallTable } from "@/components/audit/api-call-table";

export const metadata: Metadata = { title: "REST API call log" };

export default async function ApiCallsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseApiCallView(await searchParams);
  const actor = await requireActor();
  if (!canSometimes(actor, "audit:read")) forbidden();
  const { rows, total } = await listApiCalls(actor, view);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/audit">Audit log</Link> ›
          </p>
          <h1>REST API call log</h1>
          <p>
            Every call to /api/v1: who (token and account), what, from where, and the outcome. Calls are written in
            batches within a second.
          </p>
          <p>
            {view.failedOnly ? (
              <Link href="/audit/api-calls">Show all calls</Link>
            ) : (
              <Link href="/audit/api-calls?failed=1">Show only refused and failed calls</Link>
            )}
          </p>
        </div>
      </div>
      <ApiCallTable rows={rows} total={total} view={view} />
    </>
  );
}
