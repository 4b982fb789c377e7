import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { listApiChoices } from "@/lib/incidents/queries";
import { IncidentForm } from "@/components/incidents/incident-form";

export const metadata: Metadata = { title: "Report an incident" };

export default async function NewIncidentPage({ searchParams }: { searchParams: Promise<{ api?: string }> }) {
  const actor = await requireActor();
  if (!canSometimes(actor, "incident:report")) forbidden();
  const { api } = await searchParams;
  const apis = await listApiChoices(actor);
  const now = new Date().toISOString().slice(0, 16);
  const initial = {
    title: "",
    type: "UNAUTHORISED_ACCESS_ATTEMPT" as const,
    severity: "MEDIUM" as const,
    detectedAt: now,
    reportedAt: now,
    reportedBy: actor.name,
    description: "",
    apiIds: apis.some((a) => a.id === api) ? [api!] : [],
    affectedClients: "",
    rootCause: "",
    lessonsLearned: "",
  };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Report an incident</h1>
          <p>
            You will handle it until someone else is assigned. Every change is recorded on its timeline and in the audit
            log.
          </p>
        </div>
      </div>
      <IncidentForm initial={initial} apis={apis} mode={{ kind: "create" }} />
    </>
  );
}
