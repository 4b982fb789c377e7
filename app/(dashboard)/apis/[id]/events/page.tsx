import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { getApi } from "@/lib/apis/queries";
import { orNotFound } from "@/lib/next/page-load";
import { getSettings } from "@/lib/settings/queries";
import { isAppError } from "@/lib/errors";
import {
  dailyOutcomes,
  getAlertRule,
  listAlerts,
  listAuthEvents,
  parseEventFilters,
  type EventFilters,
} from "@/lib/events/queries";
import { parseEventView, type EventView } from "@/lib/events/list-view";

import { OutcomeChart } from "@/components/events/outcome-chart";
import { AcknowledgeForm, AlertRuleForm } from "@/components/events/alert-forms";

import { when } from "@/app/(dashboard)/apis/[id]/events/_components/types";
import { EventsSection } from "@/app/(dashboard)/apis/[id]/events/_components/events-section";
import { ObservedSection } from "@/app/(dashboard)/apis/[id]/events/_components/observed-section";
import { observedAccess } from "@/lib/observed/queries";
import { PageSection } from "@/components/layout/page-section";
import type { UserActor } from "@/lib/auth/current-actor";

export const metadata: Metadata = { title: "Authentication events" };

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
  // The rows per page are the table kit's `size`; the REST API's `limit` still works in a link.
  const view = parseEventView(sp);
  let filters: EventFilters;
  let filterError: string | null = null;
  try {
    filters = parseEventFilters({ ...sp, limit: sp.limit ?? String(view.pageSize) });
  } catch (error) {
    if (!isAppError(error)) throw error;
    filterError = Object.entries(error.fieldErrors)
      .map(([k, v]) => `${k}: ${v[0]}`)
      .join(" ");
    filters = parseEventFilters({ limit: String(view.pageSize) });
  }
  const settings = await getSettings();
  const target = { ownerId: api.ownerId, teamId: api.teamId };
  const part = { actor, apiId: api.id, target };
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
        <PageSection title="Calls and failures, last 14 days">
          <OutcomesPart {...part} />
        </PageSection>
        <PageSection title="Failed-authentication alerts">
          <AlertsPart {...part} settings={settings} />
        </PageSection>
      </div>
      <PageSection title="Observed versus granted">
        <ObservedPart {...part} />
      </PageSection>
      <PageSection title="Events">
        <EventsPart {...part} filters={filters} filterError={filterError} searchParams={sp} view={view} />
      </PageSection>
    </>
  );
}

// Each part loads on its own (components/layout/page-section.tsx): the event search over millions of
// rows does not hold up the chart or the alerts.
type Part = { actor: UserActor; apiId: string; target: { ownerId: string | null; teamId: string } };

async function OutcomesPart({ actor, apiId }: Part) {
  const days = await dailyOutcomes(actor, apiId, 14);
  return (
    <section className="card" aria-labelledby="rate-h">
      <h2 id="rate-h">Calls and failures, last 14 days</h2>
      <OutcomeChart days={days} />
    </section>
  );
}

async function AlertsPart({
  actor,
  apiId,
  target,
  settings,
}: Part & { settings: { alertThreshold: number; alertWindowMinutes: number } }) {
  const [alerts, rule] = await Promise.all([
    listAlerts(actor, { apiId }),
    getAlertRule(actor, apiId, { threshold: settings.alertThreshold, windowMinutes: settings.alertWindowMinutes }),
  ]);
  return (
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
          <AlertRuleForm apiId={apiId} threshold={rule.threshold} windowMinutes={rule.windowMinutes} />
        </details>
      ) : null}
    </section>
  );
}

async function ObservedPart({ actor, apiId }: Part) {
  return <ObservedSection apiId={apiId} view={await observedAccess(actor, apiId)} />;
}

async function EventsPart({
  actor,
  apiId,
  filters,
  filterError,
  searchParams,
  view,
}: Part & {
  filters: EventFilters;
  filterError: string | null;
  searchParams: Record<string, string | undefined>;
  view: EventView;
}) {
  const events = await listAuthEvents(actor, apiId, filters);
  const kept = Object.fromEntries(Object.entries(searchParams).filter(([k, v]) => v && k !== "cursor")) as Record<
    string,
    string
  >;
  const older = events.nextCursor ? `?${new URLSearchParams({ ...kept, cursor: events.nextCursor })}` : null;
  const newest = filters.cursor ? `?${new URLSearchParams(kept)}` : null;
  return (
    <EventsSection
      events={events}
      filters={filters}
      filterError={filterError}
      view={view}
      newest={newest}
      older={older}
    />
  );
}
