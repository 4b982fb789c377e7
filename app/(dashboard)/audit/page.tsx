import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { AUDIT_PAGE_SIZE, listAuditEntries } from "@/lib/audit/queries";
import { verifyAuditChain } from "@/lib/audit/verify";
import { Forbidden } from "@/components/layout/forbidden";
import { custodyOutcomes, type CustodyOutcome } from "@/lib/evidence/custody";

export const metadata: Metadata = { title: "Audit log" };

const ACTION_FILTERS = [
  ["", "All"],
  ["api.", "API changes"],
  ["auth.", "Sign-ins"],
  ["user.", "Users"],
  ["ism.", "ISM imports"],
  ["team.", "Teams"],
  ["token.", "API tokens"],
  ["rest.", "REST call batches"],
  ["evidence.", "Evidence exports"],
] as const;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ page?: string; action?: string }>;
}) {
  const sp = await searchParams;
  const actor = await requireActor();
  if (!canSometimes(actor, "audit:read"))
    return <Forbidden message="Only admins and auditors can read the audit log." />;
  const action = ACTION_FILTERS.some(([v]) => v === sp.action) ? sp.action : "";
  const page = Math.max(1, Math.floor(Number(sp.page)) || 1);
  const [{ total, entries }, chain] = await Promise.all([
    listAuditEntries(actor, { page, action }),
    verifyAuditChain(),
  ]);
  const outcomes = await custodyOutcomes(entries.filter((e) => e.action === "evidence.export").map((e) => e.targetId));
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const href = (p: number, a = action) =>
    `/audit?${new URLSearchParams({ ...(a ? { action: a } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`;
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
        {ACTION_FILTERS.map(([value, label]) => (
          <Link
            key={value}
            href={href(1, value)}
            className="btn btn-small"
            aria-current={value === action ? "true" : undefined}
            style={value === action ? { background: "var(--brand-soft)" } : undefined}
          >
            {label}
          </Link>
        ))}
      </nav>
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">What</th>
              <th scope="col">Address</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>
                  <time dateTime={e.at}>{e.at.replace("T", " ").slice(0, 19)}</time>
                </td>
                <td>{e.actorEmail}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.targetType === "api" && e.action !== "api.delete" ? (
                    <Link href={`/apis/${e.targetId}`}>{e.summary}</Link>
                  ) : (
                    e.summary
                  )}
                  {e.action === "evidence.export" ? <ExportOutcome outcome={outcomes.get(e.targetId)} /> : null}
                  <details className="small">
                    <summary>Details</summary>
                    <pre
                      className="mono"
                      style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", margin: "0.3rem 0" }}
                    >
                      {JSON.stringify(JSON.parse(e.diff), null, 2)}
                    </pre>
                    <div className="mono muted">
                      hash {e.hash.slice(0, 16)}… · previous {e.prevHash.slice(0, 16)}…
                    </div>
                  </details>
                </td>
                <td className="mono small">{e.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        <span className="small muted">
          {total.toLocaleString("en-AU")} entries · page {page} of {pages}
        </span>
        <div className="row">
          {page > 1 ? (
            <Link className="btn btn-small" href={href(page - 1)}>
              ‹ Newer
            </Link>
          ) : null}
          {page < pages ? (
            <Link className="btn btn-small" href={href(page + 1)}>
              Older ›
            </Link>
          ) : null}
        </div>
      </nav>
    </>
  );
}

/** An export entry's outcome: an entry with none was interrupted (see lib/evidence/custody.ts). */
function ExportOutcome({ outcome }: { outcome: CustodyOutcome | undefined }) {
  if (outcome?.status === "stored") return <span className="small muted"> — bundle stored</span>;
  if (outcome?.status === "failed") return <span className="small"> — failed: {outcome.reason}</span>;
  return (
    <strong className="small">
      {" "}
      — interrupted: no outcome recorded (no bundle may exist, unless an export is running now)
    </strong>
  );
}
