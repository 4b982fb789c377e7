import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { requireActor } from "@/lib/auth/current-actor";
import { getDashboard } from "@/lib/dashboard/queries";
import { MyWork } from "@/components/reviews/my-work";
import { getMyWork, getReviewSummary } from "@/lib/reviews/queries";
import { getIncidentSummary } from "@/lib/incidents/queries";
import { getDocumentGaps } from "@/lib/documents/queries";
import { DOCUMENT_KIND_LABELS } from "@/lib/documents/schemas";
import { GAP_LABELS } from "@/lib/documents/status";
import { getTrainingCoverage } from "@/lib/training/queries";
import { CoverageBar } from "@/components/training/coverage-bar";
import { failAt } from "@/lib/runtime/failpoint";
import { PageSection } from "@/components/layout/page-section";
import { getAttention, getSetupSteps } from "@/lib/dashboard/attention";
import { AttentionSection, SetupSection } from "@/app/(dashboard)/_components/dashboard/attention-section";

import { ControlsSection } from "@/app/(dashboard)/_components/dashboard/controls-section";
import { ExposureSection } from "@/app/(dashboard)/_components/dashboard/exposure-section";
import { ReviewsSection } from "@/app/(dashboard)/_components/dashboard/reviews-section";
import { IncidentsSection } from "@/app/(dashboard)/_components/dashboard/incidents-section";
import { ApiAlertsSection } from "@/app/(dashboard)/_components/dashboard/api-alerts-section";
import { FailedAuthenticationSection } from "@/app/(dashboard)/_components/dashboard/failed-authentication-section";
import { TrendsSection } from "@/app/(dashboard)/_components/dashboard/trends-section";
import { getControlTrend } from "@/lib/dashboard/control-snapshots";
import { dailyOutcomes, listAlerts } from "@/lib/events/queries";
import { getTrafficStates } from "@/lib/observed/api-states";
import { TrafficSection } from "@/app/(dashboard)/_components/dashboard/traffic-section";
import { can } from "@/lib/authz/policy";

export const metadata: Metadata = { title: "Dashboard" };

// Each section loads on its own (components/layout/page-section.tsx): the page streams as they arrive,
// and one that fails says so in its place while the others work. The inventory figures are read once
// per request for the three sections that show them.
const inventory = cache(async () => getDashboard(await requireActor()));
/** The traffic states, read once per request for the attention list and the traffic section. */
const trafficStates = cache(async () => {
  failAt("dashboard:traffic");
  return getTrafficStates(await requireActor());
});

/** Loads a section's data as the signed-in person (APILEDGER_FAILPOINT=dashboard:<name> fails it, for tests). */
async function load<T>(name: string, query: (actor: Awaited<ReturnType<typeof requireActor>>) => Promise<T>) {
  failAt(`dashboard:${name}`);
  return query(await requireActor());
}

export default async function DashboardPage() {
  await requireActor();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p>
            Where the registered APIs stand against the ISM. Every number links to the matching APIs in the inventory.
          </p>
        </div>
      </div>

      <PageSection title="Getting started">
        <SetupPart />
      </PageSection>

      <PageSection title="Needs attention">
        <AttentionPart />
      </PageSection>

      <PageSection title="My reviews and follow-ups">
        <MyWorkPart />
      </PageSection>

      <PageSection title="API authentication alerts">
        <ApiAlertsPart />
      </PageSection>

      <PageSection title="Failed authentication alerts">
        <FailedAuthenticationPart />
      </PageSection>

      <PageSection title="API figures">
        <Stats />
      </PageSection>

      <PageSection title="What the traffic shows">
        <TrafficPart />
      </PageSection>

      <div className="grid grid-2">
        <PageSection title="ISM network-API controls">
          <ControlsPart />
        </PageSection>
        <PageSection title="APIs by exposure and sensitivity">
          <ExposurePart />
        </PageSection>
      </div>

      <PageSection title="Trends">
        <TrendsPart />
      </PageSection>

      <PageSection title="Access reviews">
        <ReviewsPart />
      </PageSection>

      <PageSection title="Incidents">
        <IncidentsPart />
      </PageSection>

      <div className="grid grid-2" style={{ marginTop: "1rem" }}>
        <PageSection title="Policies and procedures">
          <DocumentsPart />
        </PageSection>
        <PageSection title="Training coverage">
          <TrainingPart />
        </PageSection>
      </div>
    </>
  );
}

async function TrafficPart() {
  const actor = await requireActor();
  const states = await trafficStates();
  return <TrafficSection states={states} canManage={can(actor, "traffic:manage")} />;
}

async function SetupPart() {
  const steps = await load("setup", getSetupSteps);
  return steps ? <SetupSection steps={steps} /> : null;
}

async function AttentionPart() {
  return (
    <AttentionSection items={await load("attention", (actor) => getAttention(actor, new Date(), trafficStates))} />
  );
}

async function MyWorkPart() {
  return <MyWork work={await load("my-work", getMyWork)} />;
}

async function Stats() {
  failAt("dashboard:stats");
  const d = await inventory();
  return (
    <div className="grid grid-3" style={{ margin: "1rem 0" }}>
      <Stat label="APIs registered" value={d.total} href="/apis" />
      <Stat label="APIs with no owner" value={d.noOwner} href="/apis?owner=none" tone={d.noOwner ? "bad" : undefined} />
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
  );
}

async function ControlsPart() {
  failAt("dashboard:controls");
  return <ControlsSection d={await inventory()} />;
}

async function ExposurePart() {
  failAt("dashboard:exposure");
  return <ExposureSection d={await inventory()} />;
}

async function TrendsPart() {
  const [quarters, days] = await Promise.all([
    load("trends", (actor) => getControlTrend(actor, new Date(), async () => (await inventory()).controls)),
    load("trends", (actor) => dailyOutcomes(actor, null, 14)),
  ]);
  return <TrendsSection quarters={quarters} days={days} />;
}

async function ReviewsPart() {
  return <ReviewsSection reviews={await load("reviews", getReviewSummary)} />;
}

async function IncidentsPart() {
  return <IncidentsSection incidents={await load("incidents", getIncidentSummary)} />;
}

async function DocumentsPart() {
  const gaps = await load("documents", getDocumentGaps);
  return (
    <section className="card" aria-labelledby="documents-h">
      <h2 id="documents-h">Policies and procedures</h2>
      {gaps.length === 0 ? (
        <p className="small">Every required document has an approved version in force, none overdue for review.</p>
      ) : (
        <ul className="alert alert-warn" style={{ paddingLeft: "1.8rem" }}>
          {gaps.map((g) => (
            <li key={g.kind}>
              <Link href="/documents">{DOCUMENT_KIND_LABELS[g.kind]}</Link>: {GAP_LABELS[g.problem]}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

async function TrainingPart() {
  const training = await load("training", getTrainingCoverage);
  return (
    <section className="card" aria-labelledby="training-h">
      <h2 id="training-h">Training coverage</h2>
      <CoverageBar coverage={training} />
    </section>
  );
}

async function ApiAlertsPart() {
  return <ApiAlertsSection alerts={await load("api-alerts", (actor) => listAlerts(actor, { openOnly: true }, 10))} />;
}

async function FailedAuthenticationPart() {
  failAt("dashboard:failed-authentication");
  const { alerts } = await inventory();
  return alerts ? <FailedAuthenticationSection alerts={alerts} /> : null;
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
