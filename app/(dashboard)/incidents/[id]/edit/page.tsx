import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { getIncident, listApiChoices } from "@/lib/incidents/queries";
import { IncidentForm } from "@/components/incidents/incident-form";
import { Forbidden } from "@/components/layout/forbidden";

export const metadata: Metadata = { title: "Edit incident" };

export default async function EditIncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const incident = await getIncident(actor, id);
  if (!incident) notFound();
  if (!can(actor, "incident:handle", { ownerId: incident.handlerId, locked: incident.status === "CLOSED" })) {
    return (
      <Forbidden message="Only the incident's handler or an admin can edit it, and closed incidents only take addenda." />
    );
  }
  const initial = {
    title: incident.title,
    type: incident.type,
    severity: incident.severity,
    detectedAt: incident.detectedAt.slice(0, 16),
    reportedAt: incident.reportedAt.slice(0, 16),
    reportedBy: incident.reportedBy,
    description: incident.description,
    apiIds: incident.apis.map((a) => a.id),
    affectedClients: incident.affectedClients,
    rootCause: incident.rootCause,
    lessonsLearned: incident.lessonsLearned,
  };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Edit: {incident.title}</h1>
        </div>
      </div>
      <IncidentForm
        initial={initial}
        apis={await listApiChoices(actor)}
        mode={{ kind: "edit", id: incident.id, version: incident.version }}
      />
    </>
  );
}
