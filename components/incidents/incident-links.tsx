import Link from "next/link";
import { SeverityBadge } from "@/components/incidents/severity-badge";
import { INCIDENT_LABELS } from "@/lib/incidents/schemas";
import type { incidentsForApi } from "@/lib/incidents/queries";

/** Incidents touching an API, newest first (an API's page, and a review since the last one). */
export function IncidentLinks({ incidents }: { incidents: Awaited<ReturnType<typeof incidentsForApi>> }) {
  return (
    <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
      {incidents.map((i) => (
        <li key={i.id}>
          <Link href={`/incidents/${i.id}`}>{i.title}</Link> <SeverityBadge severity={i.severity} />{" "}
          <span className="small muted">
            {INCIDENT_LABELS.status[i.status]} · detected {i.detectedAt.slice(0, 10)}
          </span>
        </li>
      ))}
    </ul>
  );
}
