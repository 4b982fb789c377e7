import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listAuditEntries } from "@/lib/audit/queries";
import { AUDIT_ACTION_FILTERS, parseAuditView } from "@/lib/audit/list-view";
import { verifyAuditChain } from "@/lib/audit/verify";
import { custodyOutcomes } from "@/lib/evidence/custody";
import { AuditTable } from "@/components/audit/audit-table";
import type { SearchParamsRecord } from "@/lib/tables/table-params";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseAuditView(await searchParams);
  const actor = await requireActor();
  if (!canSometimes(actor, "audit:read")) forbidden();
  const [{ total, rows }, chain] = await Promise.all([listAuditEntries(actor, view), verifyAuditChain()]);
  const exports = await custodyOutcomes(rows.filter((e) => e.action === "evidence.export").map((e) => e.targetId));
  const shown = rows.map((e) => ({
    ...e,
    exportOutcome: e.action === "evidence.export" ? (exports.get(e.targetId) ?? { status: "none" as const }) : null,
  }));
  const query = (action: string) => {
    const params = new URLSearchParams({ ...(action ? { action } : {}), ...(view.q ? { q: view.q } : {}) });
    return params.size ? `?${params}` : "";
  };
  const href = (action: string) => `/audit${query(action)}`;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p>
            Every change, sign-in and import, in order. Each entry holds the hash of the one before, so an edited or
            removed entry is detected.
          </p>
          <p>
            <Link href="/audit/api-calls">REST API call log</Link> — every call to <code>/api/v1</code> with its token
            and outcome.
          </p>
        </div>
      </div>
      <div className={`alert ${chain.ok ? "alert-ok" : "alert-error"}`} role="status" style={{ marginBottom: "1rem" }}>
        {chain.ok ? (
          <>
            Chain intact: {chain.count.toLocaleString("en-AU")} entries verified. Head hash{" "}
            <code>{chain.head?.hash.slice(0, 16) ?? "—"}…</code>
          </>
        ) : (
          <>
            Chain broken: {chain.brokenCount.toLocaleString("en-AU")} of {chain.count.toLocaleString("en-AU")} entries
            fail (<code>npm run audit:verify</code> lists them). First: {chain.broken[0]?.reason}.
          </>
        )}
      </div>
      <nav className="row" aria-label="Filter entries" style={{ marginBottom: "0.75rem" }}>
        {AUDIT_ACTION_FILTERS.map(([value, label]) => (
          <Link
            key={value}
            href={href(value)}
            className="btn btn-small"
            aria-current={value === view.action ? "true" : undefined}
            style={value === view.action ? { background: "var(--brand-soft)" } : undefined}
          >
            {label}
          </Link>
        ))}
      </nav>
      <form method="get" action="/audit" role="search" className="row" style={{ marginBottom: "0.75rem" }}>
        {view.action ? <input type="hidden" name="action" value={view.action} /> : null}
        <label htmlFor="audit-q" className="sr-only">
          Search by person or record
        </label>
        <input
          id="audit-q"
          name="q"
          type="search"
          defaultValue={view.q}
          maxLength={200}
          placeholder="Person (part of an e-mail) or record id"
          style={{ maxWidth: 360 }}
        />
        <button type="submit" className="btn">
          Search
        </button>
        {view.q ? (
          <Link
            href={`/audit${view.action ? `?${new URLSearchParams({ action: view.action })}` : ""}`}
            className="btn btn-small"
          >
            {`Clear “${view.q}”`}
          </Link>
        ) : null}
        <a className="btn" href={`/api/audit/export${query(view.action)}`} download>
          Download CSV
        </a>
      </form>
      <AuditTable rows={shown} total={total} view={view} />
    </>
  );
}
