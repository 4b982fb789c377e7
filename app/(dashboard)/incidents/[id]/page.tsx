import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { getIncident } from "@/lib/incidents/queries";
import { INCIDENT_LABELS, SEVERITY_HELP } from "@/lib/incidents/schemas";
import { AdvanceButton, EntryForm } from "@/components/incidents/incident-controls";
import { SeverityBadge } from "@/components/incidents/severity-badge";
import { FollowUpList } from "@/components/follow-ups/follow-up-list";
import { AddFollowUpForm } from "@/components/follow-ups/add-follow-up-form";
import { addIncidentFollowUpAction } from "@/lib/incidents/actions";
import { listAssignablePeople } from "@/lib/reviews/queries";

export const metadata: Metadata = { title: "Incident" };

const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 16)} UTC` : "—");

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const incident = await getIncident(actor, id);
  if (!incident) notFound();
  const closed = incident.status === "CLOSED";
  const canHandle = can(actor, "incident:handle", { ownerId: incident.handler?.id ?? null, locked: closed });
  const canAddendum = can(actor, "incident:handle", { ownerId: incident.handler?.id ?? null });
  const people = canHandle ? await listAssignablePeople(actor) : [];
  const editableFollowUps = incident.followUps
    .filter((f) => can(actor, "follow-up:update", { ownerId: f.ownerId }))
    .map((a) => a.id);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link href="/incidents">Incidents</Link> ›
          </p>
          <h1>{incident.title}</h1>
          <p>
            {INCIDENT_LABELS.type[incident.type]} · <SeverityBadge severity={incident.severity} /> ·{" "}
            {INCIDENT_LABELS.status[incident.status]} · handled by {incident.handler?.name ?? "nobody"}
          </p>
        </div>
        <div className="row">
          {canHandle ? (
            <Link className="btn" href={`/incidents/${incident.id}/edit`}>
              Edit
            </Link>
          ) : null}
          {canHandle ? <AdvanceButton id={incident.id} version={incident.version} status={incident.status} /> : null}
        </div>
      </div>
      <div className="grid grid-2">
        <section className="card" aria-labelledby="facts-h">
          <h2 id="facts-h">Record</h2>
          <dl className="facts">
            <dt>Severity</dt>
            <dd>{SEVERITY_HELP[incident.severity]}</dd>
            <dt>Detected</dt>
            <dd>{when(incident.detectedAt)}</dd>
            <dt>Reported</dt>
            <dd>
              {when(incident.reportedAt)} by {incident.reportedBy}
            </dd>
            <dt>Contained</dt>
            <dd>{when(incident.containedAt)}</dd>
            <dt>Resolved</dt>
            <dd>{when(incident.resolvedAt)}</dd>
            <dt>Closed</dt>
            <dd>{when(incident.closedAt)}</dd>
            <dt>Affected APIs</dt>
            <dd>
              {incident.apis.map((a, i) => (
                <span key={a.id}>
                  {i ? ", " : ""}
                  <Link href={`/apis/${a.id}`}>{a.name}</Link>
                </span>
              ))}
            </dd>
            <dt>Affected clients</dt>
            <dd>{incident.affectedClients || "—"}</dd>
            <dt>Description</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{incident.description}</dd>
            <dt>Root cause</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{incident.rootCause || "—"}</dd>
            <dt>Lessons learned</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{incident.lessonsLearned || "—"}</dd>
          </dl>
        </section>
        <section className="card stack" aria-labelledby="timeline-h">
          <h2 id="timeline-h">Timeline</h2>
          <ol className="stack" style={{ listStyle: "none", padding: 0, margin: 0, gap: "0.6rem" }}>
            {incident.entries.map((e) => (
              <li
                key={e.id}
                style={{
                  borderLeft: `3px solid ${e.kind === "notification" ? "var(--brand)" : e.kind === "addendum" ? "var(--judge)" : "var(--border)"}`,
                  paddingLeft: "0.75rem",
                }}
              >
                <div className="small muted">
                  {when(e.at)} · {e.author} · {e.kind === "notification" ? `notified ${e.recipient}` : e.kind}
                </div>
                <div style={{ whiteSpace: "pre-wrap" }}>{e.text}</div>
              </li>
            ))}
          </ol>
          {closed ? (
            canAddendum ? (
              <EntryForm id={incident.id} closed />
            ) : null
          ) : canHandle ? (
            <EntryForm id={incident.id} closed={false} />
          ) : null}
        </section>
      </div>
      <section id="follow-ups" className="card stack" aria-labelledby="follow-ups-h" style={{ marginTop: "1rem" }}>
        <h2 id="follow-ups-h">Follow-ups to prevent recurrence</h2>
        <FollowUpList followUps={incident.followUps} editableIds={editableFollowUps} emptyText="No follow-ups yet." />
        {canHandle ? (
          <AddFollowUpForm
            submit={addIncidentFollowUpAction.bind(null, incident.id)}
            people={people}
            heading="Add a follow-up to prevent recurrence"
          />
        ) : null}
      </section>
    </>
  );
}
