import type { Metadata } from "next";
import Link from "next/link";
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
import { listAlerts } from "@/lib/events/queries";

import { ControlsSection } from "@/app/(dashboard)/_components/dashboard/controls-section";
import { ExposureSection } from "@/app/(dashboard)/_components/dashboard/exposure-section";
import { ReviewsSection } from "@/app/(dashboard)/_components/dashboard/reviews-section";
import { IncidentsSection } from "@/app/(dashboard)/_components/dashboard/incidents-section";
import { ApiAlertsSection } from "@/app/(dashboard)/_components/dashboard/api-alerts-section";
import { FailedAuthenticationSection } from "@/app/(dashboard)/_components/dashboard/failed-authentication-section";

export const metadata: Metadata = { title: "Dashboard" };

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
        <ControlsSection d={d} />

        <ExposureSection d={d} />
      </div>

      <ReviewsSection reviews={reviews} />

      <IncidentsSection incidents={incidents} />

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

      <ApiAlertsSection alerts={openAlerts} />

      {d.alerts ? <FailedAuthenticationSection alerts={d.alerts} /> : null}
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
