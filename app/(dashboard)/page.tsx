import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { getDashboard } from "@/lib/dashboard/queries";
import { CONTROLS, CONTROL_COLUMN, CONTROL_IDS } from "@/lib/ism/controls";
import { EXPOSURES, LABELS, SENSITIVITIES } from "@/lib/apis/enums";
import { StackedBar } from "@/components/charts/stacked-bar";
import { MyWork } from "@/components/reviews/my-work";
import { getMyWork, getReviewSummary } from "@/lib/reviews/queries";
import { getIncidentSummary } from "@/lib/incidents/queries";
import { getDocumentGaps } from "@/lib/documents/queries";
import { DOCUMENT_KIND_LABELS } from "@/lib/documents/schemas";
import { GAP_LABELS } from "@/lib/documents/status";
import { getTrainingCoverage } from "@/lib/training/queries";
import { CoverageBar } from "@/components/training/coverage-bar";
import { listAlerts } from "@/lib/events/queries";

export const metadata: Metadata = { title: "Dashboard" };

const STATUS_COLORS = { MET: "#1f8a4c", NOT_MET: "#c0392b", CANNOT_JUDGE: "#d99a1e" } as const;
const EXPOSURE_COLORS = { INTERNAL: "#1f4e8c", PARTNER: "#7b5ea7", INTERNET: "#c2571a" } as const;

export default async function DashboardPage() {
  const actor = await requireActor();
  const [d, work, reviews, incidents, documentGaps, training] = await Promise.all([
    getDashboard(actor),
    getMyWork(actor),
    getReviewSummary(actor),
    getIncidentSummary(actor),
    getDocumentGaps(actor),
    getTrainingCoverage(actor),
  ]);
  const openAlerts = await listAlerts(actor, { openOnly: true }, 10);
  const maxHours = Math.max(
    1,
    ...incidents.quarters.flatMap((q) => [q.meanHoursToContain ?? 0, q.meanHoursToResolve ?? 0]),
  );
  const fmt = (n: number) => n.toLocaleString("en-AU");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p>{fmt(d.total)} registered APIs. Every number links to the matching APIs in the inventory.</p>
        </div>
      </div>

      <MyWork work={work} />

      <div className="grid grid-3" style={{ marginBottom: "1rem" }}>
        <Stat label="APIs registered" value={d.total} href="/apis" />
        <Stat
          label="APIs with no owner"
          value={d.noOwner}
          href="/apis?owner=none"
          tone={d.noOwner ? "bad" : undefined}
        />
        <Stat
          label="APIs with no authentication"
          value={d.noAuth}
          href="/apis?authMethod=NONE"
          tone={d.noAuth ? "bad" : undefined}
        />
        <Stat
          label="APIs whose authentication is not recorded"
          value={d.authUnknown}
          href="/apis?authMethod=UNKNOWN"
          tone={d.authUnknown ? "warn" : undefined}
        />
      </div>

      <div className="grid grid-2">
        <section className="card" aria-labelledby="controls-h">
          <h2 id="controls-h">ISM network-API controls</h2>
          <p className="small muted">Applicable APIs per control: met, not met, or cannot be judged yet.</p>
          <div className="legend" aria-hidden="true" style={{ marginBottom: "0.5rem" }}>
            <span style={{ ["--swatch" as string]: STATUS_COLORS.MET }}>Met</span>
            <span style={{ ["--swatch" as string]: STATUS_COLORS.NOT_MET }}>Not met</span>
            <span style={{ ["--swatch" as string]: STATUS_COLORS.CANNOT_JUDGE }}>Cannot be judged</span>
          </div>
          {CONTROL_IDS.map((id) => {
            const c = d.controls[id];
            const col = CONTROL_COLUMN[id];
            const applicable = c.MET + c.NOT_MET + c.CANNOT_JUDGE;
            return (
              <div key={id} className="control-row">
                <div>
                  <strong>{CONTROLS[id].label}</strong>
                  <div className="small muted">
                    {CONTROLS[id].internet ? "internet" : "internal"} ·{" "}
                    {CONTROLS[id].kind === "auth" ? "authn/authz" : "logging"}
                  </div>
                </div>
                <div className="stack" style={{ gap: "0.3rem" }}>
                  <StackedBar
                    label={`${CONTROLS[id].label}: ${applicable} applicable APIs`}
                    segments={[
                      { label: "Met", value: c.MET, color: STATUS_COLORS.MET, href: `/apis?${col}=MET` },
                      {
                        label: "Not met",
                        value: c.NOT_MET,
                        color: STATUS_COLORS.NOT_MET,
                        href: `/apis?${col}=NOT_MET`,
                      },
                      {
                        label: "Cannot be judged",
                        value: c.CANNOT_JUDGE,
                        color: STATUS_COLORS.CANNOT_JUDGE,
                        href: `/apis?${col}=CANNOT_JUDGE`,
                      },
                    ]}
                  />
                  <div className="small">
                    <Link href={`/apis?${col}=MET`}>{fmt(c.MET)} met</Link> ·{" "}
                    <Link href={`/apis?${col}=NOT_MET`}>{fmt(c.NOT_MET)} not met</Link> ·{" "}
                    <Link href={`/apis?${col}=CANNOT_JUDGE`}>{fmt(c.CANNOT_JUDGE)} cannot be judged</Link>{" "}
                    <span className="muted">of {fmt(applicable)} applicable</span>
                  </div>
                </div>
              </div>
            );
          })}
        </section>

        <section className="card" aria-labelledby="exposure-h">
          <h2 id="exposure-h">APIs by exposure and sensitivity</h2>
          <div className="legend" aria-hidden="true" style={{ marginBottom: "0.5rem" }}>
            {EXPOSURES.map((e) => (
              <span key={e} style={{ ["--swatch" as string]: EXPOSURE_COLORS[e] }}>
                {LABELS.exposure[e]}
              </span>
            ))}
          </div>
          {SENSITIVITIES.map((s) => (
            <div key={s} className="control-row" style={{ gridTemplateColumns: "150px 1fr" }}>
              <span className="small">
                <strong>{LABELS.sensitivity[s]}</strong>
              </span>
              <StackedBar
                label={`${LABELS.sensitivity[s]} APIs by exposure`}
                segments={EXPOSURES.map((e) => ({
                  label: LABELS.exposure[e],
                  value: d.matrix[e][s],
                  color: EXPOSURE_COLORS[e],
                  href: `/apis?exposure=${e}&sensitivity=${s}`,
                }))}
              />
            </div>
          ))}
          <table className="data heat" style={{ marginTop: "0.75rem" }}>
            <caption className="sr-only">Number of APIs by sensitivity and exposure</caption>
            <thead>
              <tr>
                <th scope="col">Sensitivity</th>
                {EXPOSURES.map((e) => (
                  <th key={e} scope="col">
                    {LABELS.exposure[e]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {SENSITIVITIES.map((s) => (
                <tr key={s}>
                  <th scope="row" style={{ textAlign: "left" }}>
                    {LABELS.sensitivity[s]}
                  </th>
                  {EXPOSURES.map((e) => (
                    <td key={e}>
                      {d.matrix[e][s] ? (
                        <Link href={`/apis?exposure=${e}&sensitivity=${s}`}>{fmt(d.matrix[e][s])}</Link>
                      ) : (
                        <span className="muted">0</span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section className="card" aria-labelledby="reviews-h" style={{ marginTop: "1rem" }}>
        <h2 id="reviews-h">Access reviews</h2>
        {reviews.quarters.length === 0 ? (
          <p className="muted">
            No review campaign yet. <Link href="/reviews">Access reviews</Link>
          </p>
        ) : (
          <div className="grid grid-2">
            <div>
              <p className="small muted">Coverage: in-scope APIs with a signed-off review, by quarter.</p>
              {reviews.quarters.map((q) => (
                <div key={q.quarter} className="control-row" style={{ gridTemplateColumns: "80px 1fr" }}>
                  <strong className="small">{q.quarter}</strong>
                  <div className="stack" style={{ gap: "0.2rem" }}>
                    <StackedBar
                      label={`${q.quarter} coverage`}
                      segments={[
                        { label: "Signed off", value: q.signedOff, color: STATUS_COLORS.MET },
                        { label: "Not signed off", value: q.total - q.signedOff, color: "#c9d0d9" },
                      ]}
                    />
                    <span className="small">
                      {Math.round(q.coverage * 100)}% ({q.signedOff} of {q.total})
                    </span>
                  </div>
                </div>
              ))}
            </div>
            <div>
              <p className="small muted">Overdue reviews this quarter and open actions, by team.</p>
              {reviews.byTeam.length === 0 ? (
                <p className="small">Nothing overdue or open.</p>
              ) : (
                <table className="data">
                  <caption className="sr-only">Overdue reviews and open actions by team</caption>
                  <thead>
                    <tr>
                      <th scope="col">Team</th>
                      <th scope="col">Overdue reviews</th>
                      <th scope="col">Open actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {reviews.byTeam.map((t) => (
                      <tr key={t.team}>
                        <td>{t.team}</td>
                        <td>{t.overdue}</td>
                        <td>{t.openActions}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="incidents-h" style={{ marginTop: "1rem" }}>
        <h2 id="incidents-h">Incidents</h2>
        <div className="grid grid-2">
          <div>
            <p className="small muted">Open incidents by severity.</p>
            <div className="row">
              {(["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const).map((s) => (
                <Link
                  key={s}
                  href="/incidents"
                  className="card"
                  style={{ textDecoration: "none", color: "inherit", padding: "0.5rem 0.8rem" }}
                >
                  <div className="stat">{incidents.openBySeverity[s] ?? 0}</div>
                  <div className="stat-label">{s.toLowerCase()}</div>
                </Link>
              ))}
            </div>
          </div>
          <div>
            <p className="small muted">
              Mean hours from detection to containment and to resolution, by quarter of detection.
            </p>
            <div className="legend" aria-hidden="true" style={{ marginBottom: "0.4rem" }}>
              <span style={{ ["--swatch" as string]: "#d99a1e" }}>To contain</span>
              <span style={{ ["--swatch" as string]: "#1f4e8c" }}>To resolve</span>
            </div>
            {incidents.quarters.map((q) => (
              <div key={q.quarter} className="control-row" style={{ gridTemplateColumns: "80px 1fr" }}>
                <strong className="small">{q.quarter}</strong>
                <div className="stack" style={{ gap: "0.2rem" }}>
                  {(
                    [
                      ["To contain", q.meanHoursToContain, "#d99a1e"],
                      ["To resolve", q.meanHoursToResolve, "#1f4e8c"],
                    ] as const
                  ).map(([label, value, color]) => (
                    <div key={label} className="row small" style={{ flexWrap: "nowrap" }}>
                      <span
                        role="img"
                        aria-label={`${q.quarter} ${label.toLowerCase()}: ${value === null ? "no data" : `${value.toFixed(1)} hours`}`}
                        style={{
                          display: "block",
                          height: 10,
                          width: `${value === null ? 0 : Math.max(2, (value / maxHours) * 100)}%`,
                          background: color,
                          borderRadius: 3,
                        }}
                      />
                      <span style={{ whiteSpace: "nowrap" }}>{value === null ? "—" : `${value.toFixed(1)} h`}</span>
                    </div>
                  ))}
                  <span className="small muted">{q.count} detected</span>
                </div>
              </div>
            ))}
          </div>
        </div>
      </section>

      <div className="grid grid-2" style={{ marginTop: "1rem" }}>
        <section className="card" aria-labelledby="documents-h">
          <h2 id="documents-h">Policies and procedures</h2>
          {documentGaps.length === 0 ? (
            <p className="small">Every required document has an approved version in force, none overdue for review.</p>
          ) : (
            <ul className="alert alert-warn" style={{ paddingLeft: "1.8rem" }}>
              {documentGaps.map((g) => (
                <li key={g.kind}>
                  <Link href="/documents">{DOCUMENT_KIND_LABELS[g.kind]}</Link>: {GAP_LABELS[g.problem]}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="training-h">
          <h2 id="training-h">Training coverage</h2>
          <CoverageBar coverage={training} />
        </section>
      </div>

      <section className="card" aria-labelledby="api-alerts-h" style={{ marginTop: "1rem" }}>
        <h2 id="api-alerts-h">API authentication alerts</h2>
        {openAlerts.length === 0 ? (
          <p className="small">
            No open alerts: no client or address has failed authentication on an API more often than its rule allows.
          </p>
        ) : (
          <ul>
            {openAlerts.map((a) => (
              <li key={a.id}>
                <Link href={`/apis/${a.apiId}/events`}>{a.api}</Link>: {a.failures} failures from{" "}
                {a.keyKind === "client" ? "client" : "address"} {a.keyValue} (
                {a.windowEnd.replace("T", " ").slice(0, 16)} UTC)
              </li>
            ))}
          </ul>
        )}
      </section>

      {d.alerts ? (
        <section className="card" aria-labelledby="alerts-h" style={{ marginTop: "1rem" }}>
          <h2 id="alerts-h">Failed authentication alerts</h2>
          <p className="small muted">
            {d.alerts.total === 0
              ? `No failed sign-ins or API token refusals in the last ${d.alerts.days} days.`
              : `${fmt(d.alerts.total)} failed sign-ins and API token refusals in the last ${d.alerts.days} days.`}
            {d.alerts.locked.length ? ` ${d.alerts.locked.length} account(s) locked now.` : ""}
          </p>
          {d.alerts.locked.length ? (
            <div className="alert alert-error" role="status" style={{ marginBottom: "0.75rem" }}>
              Locked: {d.alerts.locked.map((l) => `${l.email} until ${l.until.slice(11, 16)} UTC`).join("; ")}
            </div>
          ) : null}
          {d.alerts.accounts.length ? (
            <div className="table-wrap">
              <table className="data">
                <caption className="sr-only">Failed sign-ins by account</caption>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Failures</th>
                    <th scope="col">Last attempt (UTC)</th>
                    <th scope="col">Source addresses</th>
                    <th scope="col">Reasons</th>
                  </tr>
                </thead>
                <tbody>
                  {d.alerts.accounts.map((a) => (
                    <tr key={a.email}>
                      <td>{a.email}</td>
                      <td>{a.count}</td>
                      <td>{a.last.replace("T", " ").slice(0, 16)}</td>
                      <td className="mono">{a.ips.join(", ")}</td>
                      <td>{a.reasons.join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function Stat({ label, value, href, tone }: { label: string; value: number; href: string; tone?: "bad" | "warn" }) {
  return (
    <Link
      href={href}
      className="card"
      style={{
        textDecoration: "none",
        color: "inherit",
        borderLeft: `4px solid ${tone === "bad" ? "var(--notmet)" : tone === "warn" ? "var(--judge)" : "var(--brand)"}`,
      }}
    >
      <div className="stat">{value.toLocaleString("en-AU")}</div>
      <div className="stat-label">{label}</div>
    </Link>
  );
}
