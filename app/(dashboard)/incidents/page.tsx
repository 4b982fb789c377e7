import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getIncidentSummary, listIncidentPage } from "@/lib/incidents/queries";
import { parseIncidentView } from "@/lib/incidents/list-view";
import { SEVERITIES } from "@/lib/incidents/schemas";
import type { SearchParamsRecord } from "@/lib/tables/table-params";
import { IncidentTable } from "@/components/incidents/incident-table";

export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  const view = parseIncidentView(await searchParams);
  const actor = await requireActor();
  const [{ rows, total }, { openBySeverity }] = await Promise.all([
    listIncidentPage(actor, view),
    getIncidentSummary(actor),
  ]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Incidents</h1>
          <p>API access incidents: what happened, what it affected, who was told, and what stops it happening again.</p>
        </div>
        {canSometimes(actor, "incident:report") ? (
          <Link className="btn btn-primary" href="/incidents/new">
            Report an incident
          </Link>
        ) : null}
      </div>
      <div className="grid grid-3" style={{ marginBottom: "1rem" }}>
        {SEVERITIES.map((s) => (
          <div key={s} className="card">
            <div className="stat">{(openBySeverity[s] ?? 0).toLocaleString("en-AU")}</div>
            <div className="stat-label">open {s.toLowerCase()}</div>
          </div>
        ))}
      </div>
      <IncidentTable rows={rows} total={total} view={view} />
    </>
  );
}
