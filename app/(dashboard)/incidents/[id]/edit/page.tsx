import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { toIncidentInput } from "@/lib/incidents/record";
import { getIncident, listApiChoices } from "@/lib/incidents/queries";
import { IncidentForm } from "@/components/incidents/incident-form";

export const metadata: Metadata = { title: "Edit incident" };

export default async function EditIncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const incident = await getIncident(actor, id);
  if (!incident) notFound();
  if (!can(actor, "incident:handle", { ownerId: incident.handler?.id ?? null, locked: incident.status === "CLOSED" })) {
    forbidden();
  }
  const initial = toIncidentInput(incident);
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
