import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listApiCalls } from "@/lib/rest/queries";
import { Forbidden } from "@/components/layout/forbidden";

export const metadata: Metadata = { title: "REST API call log" };

export default async function ApiCallsPage({ searchParams }: { searchParams: Promise<{ failed?: string }> }) {
  const actor = await requireActor();
  if (!canSometimes(actor, "audit:read"))
    return <Forbidden message="Only admins and auditors can read the call log." />;
  const failedOnly = (await searchParams).failed === "1";
  const calls = await listApiCalls(actor, { failedOnly });
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/audit">Audit log</Link> ›
          </p>
          <h1>REST API call log</h1>
          <p>
            The latest 200 calls to /api/v1: who (token and account), what, from where, and the outcome. Calls are
            written in batches within a second.
          </p>
          <p>
            {failedOnly ? (
              <Link href="/audit/api-calls">Show all calls</Link>
            ) : (
              <Link href="/audit/api-calls?failed=1">Show only refused and failed calls</Link>
            )}
          </p>
        </div>
      </div>
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">REST API calls, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Token</th>
              <th scope="col">Account</th>
              <th scope="col">Call</th>
              <th scope="col">Status</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {calls.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No calls yet.
                </td>
              </tr>
            ) : null}
            {calls.map((c) => (
              <tr key={c.id}>
                <td className="small nowrap">{c.at.replace("T", " ").slice(0, 19)}</td>
                <td className="small">{c.token}</td>
                <td className="small">{c.user}</td>
                <td className="small">
                  <code>
                    {c.method} {c.route}
                  </code>
                </td>
                <td>
                  <span className={`badge ${c.status < 400 ? "badge-MET" : "badge-NOT_MET"}`}>{c.status}</span>
                </td>
                <td className="small">{c.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
