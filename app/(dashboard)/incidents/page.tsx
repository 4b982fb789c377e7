import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listIncidents } from "@/lib/incidents/queries";
import { INCIDENT_LABELS, SEVERITIES } from "@/lib/incidents/schemas";
import { SeverityBadge } from "@/components/incidents/severity-badge";

export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage() {
  const actor = await requireActor();
  const incidents = await listIncidents(actor);
  const open = incidents.filter((i) => i.status !== "CLOSED");
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
            <div className="stat">{open.filter((i) => i.severity === s).length}</div>
            <div className="stat-label">open {s.toLowerCase()}</div>
          </div>
        ))}
      </div>
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Incidents, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Affected APIs</th>
              <th scope="col">Reported (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {incidents.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No incidents recorded.
                </td>
              </tr>
            ) : null}
            {incidents.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link href={`/incidents/${i.id}`}>{i.title}</Link>
                  <div className="small muted">{INCIDENT_LABELS.type[i.type]}</div>
                </td>
                <td>
                  <SeverityBadge severity={i.severity} />
                </td>
                <td>{INCIDENT_LABELS.status[i.status]}</td>
                <td className="small">{i.apis.map((a) => a.name).join(", ")}</td>
                <td className="small">{i.reportedAt.replace("T", " ").slice(0, 16)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
