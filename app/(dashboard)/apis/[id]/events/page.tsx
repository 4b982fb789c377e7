import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { getApi } from "@/lib/apis/queries";
import { orNotFound } from "@/lib/next/page-load";
import { getSettings } from "@/lib/settings/queries";
import { isAppError } from "@/lib/errors";
import {
  clientActivity,
  dailyOutcomes,
  getAlertRule,
  listAlerts,
  listAuthEvents,
  parseEventFilters,
  type EventFilters,
} from "@/lib/events/queries";
import { OUTCOMES, OUTCOME_LABELS } from "@/lib/events/schemas";
import { OutcomeChart } from "@/components/events/outcome-chart";
import { AcknowledgeForm, AlertRuleForm } from "@/components/events/alert-forms";

export const metadata: Metadata = { title: "Authentication events" };

const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 19)}` : "never");

export default async function ApiEventsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const actor = await requireActor();
  const api = await orNotFound(() => getApi(actor, id));
  let filters: EventFilters;
  let filterError: string | null = null;
  try {
    filters = parseEventFilters(sp);
  } catch (error) {
    if (!isAppError(error)) throw error;
    filterError = Object.entries(error.fieldErrors)
      .map(([k, v]) => `${k}: ${v[0]}`)
      .join(" ");
    filters = parseEventFilters({});
  }
  const settings = await getSettings();
  const [events, clients, days, alerts, rule] = await Promise.all([
    listAuthEvents(actor, id, filters),
    clientActivity(actor, id),
    dailyOutcomes(actor, id, 14),
    listAlerts(actor, { apiId: id }),
    getAlertRule(actor, id, { threshold: settings.alertThreshold, windowMinutes: settings.alertWindowMinutes }),
  ]);
  const target = { ownerId: api.ownerId, teamId: api.teamId };
  const next = events.nextCursor
    ? `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(sp).filter(([, v]) => v) as [string, string][]), cursor: events.nextCursor })}`
    : null;
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/apis">API inventory</Link> › <Link href={`/apis/${api.id}`}>{api.name}</Link> ›
          </p>
          <h1>Authentication events: {api.name}</h1>
          <p>
            Who called this API and when, as reported by its gateways (POST /api/v1/events/auth). Raw events are kept{" "}
            {settings.eventRetentionDays} days, then counted per day.
          </p>
        </div>
      </div>
      <div className="grid grid-2" style={{ marginBottom: "1rem" }}>
        <section className="card" aria-labelledby="rate-h">
          <h2 id="rate-h">Calls and failures, last 14 days</h2>
          <OutcomeChart days={days} />
        </section>
        <section className="card" aria-labelledby="alerts-h">
          <h2 id="alerts-h">Failed-authentication alerts</h2>
          <p className="small muted">
            Raised when one client or source address fails more than {rule.threshold} times within {rule.windowMinutes}{" "}
            minutes{rule.isDefault ? " (installation default)" : ""}.
          </p>
          {alerts.length === 0 ? <p className="muted">No alerts.</p> : null}
          <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
            {alerts.map((a) => (
              <li key={a.id} className="card" aria-label={`Alert: ${a.keyKind} ${a.keyValue}`}>
                <strong>
                  {a.failures} failures from {a.keyKind === "client" ? "client" : "address"} {a.keyValue}
                </strong>{" "}
                <span className="small muted">
                  {when(a.windowStart)} – {when(a.windowEnd)} UTC
                </span>
                {a.acknowledgedAt ? (
                  <p className="small">
                    Acknowledged by {a.acknowledgedBy} on {a.acknowledgedAt.slice(0, 10)}: {a.note}
                  </p>
                ) : can(actor, "alert:acknowledge", target) ? (
                  <AcknowledgeForm alertId={a.id} label={`${a.keyKind} ${a.keyValue}`} />
                ) : (
                  <p className="small">Open.</p>
                )}
              </li>
            ))}
          </ul>
          {can(actor, "api:update", target) ? (
            <details>
              <summary>Change this API&apos;s alert rule</summary>
              <AlertRuleForm apiId={api.id} threshold={rule.threshold} windowMinutes={rule.windowMinutes} />
            </details>
          ) : null}
        </section>
      </div>
      <section className="card" aria-labelledby="clients-h" style={{ marginBottom: "1rem" }}>
        <h2 id="clients-h">Clients seen</h2>
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Clients by last successful call</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Last successful call (UTC)</th>
                <th scope="col">Successful calls</th>
                <th scope="col">Failures, last 30 days</th>
              </tr>
            </thead>
            <tbody>
              {clients.length === 0 ? (
                <tr>
                  <td colSpan={4} className="muted">
                    No events received yet.
                  </td>
                </tr>
              ) : null}
              {clients.map((c) => (
                <tr key={c.clientId}>
                  <td>{c.clientId || <span className="muted">(no client id)</span>}</td>
                  <td className="small nowrap">{when(c.lastSuccess)}</td>
                  <td>{c.successes}</td>
                  <td>{c.failures30d}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="events-h">
        <h2 id="events-h">Events</h2>
        <form
          className="row"
          method="get"
          style={{ alignItems: "flex-end", marginBottom: "0.75rem", flexWrap: "wrap" }}
        >
          <div className="field">
            <label htmlFor="ev-client">Client</label>
            <input id="ev-client" name="client" defaultValue={filters.client} />
          </div>
          <div className="field">
            <label htmlFor="ev-principal">Principal</label>
            <input id="ev-principal" name="principal" defaultValue={filters.principal} />
          </div>
          <div className="field">
            <label htmlFor="ev-outcome">Outcome</label>
            <select id="ev-outcome" name="outcome" defaultValue={filters.outcome}>
              <option value="">Any</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {OUTCOME_LABELS[o]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ev-from">From</label>
            <input id="ev-from" name="from" type="date" defaultValue={filters.from.slice(0, 10)} />
          </div>
          <div className="field">
            <label htmlFor="ev-to">To</label>
            <input id="ev-to" name="to" type="date" defaultValue={filters.to.slice(0, 10)} />
          </div>
          <button type="submit" className="btn">
            Search
          </button>
        </form>
        {filterError ? (
          <div className="alert alert-error" role="alert">
            {filterError}
          </div>
        ) : null}
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Authentication events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Client</th>
                <th scope="col">Principal</th>
                <th scope="col">Outcome</th>
                <th scope="col">Call</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {events.data.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">
                    No events match.
                  </td>
                </tr>
              ) : null}
              {events.data.map((e) => (
                <tr key={e.id}>
                  <td className="small nowrap">{when(e.time)}</td>
                  <td className="small">{e.clientId}</td>
                  <td className="small">{e.principal}</td>
                  <td>
                    <span className={`badge ${e.outcome === "success" ? "badge-MET" : "badge-NOT_MET"}`}>
                      {OUTCOME_LABELS[e.outcome]}
                    </span>
                  </td>
                  <td className="small">
                    <code>
                      {e.method} {e.route}
                    </code>
                  </td>
                  <td className="small">{e.sourceIp}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {next ? (
          <p>
            <Link href={next}>Older events</Link>
          </p>
        ) : null}
      </section>
    </>
  );
}
