import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import { can } from "@/lib/authz/policy";
import { getApi, getApiFormOptions } from "@/lib/apis/queries";
import { orNotFound } from "@/lib/next/page-load";
import { ApiForm } from "@/components/apis/api-form";
import { toEditInput } from "@/lib/apis/edit-input";
import { placementChoices } from "@/lib/apis/placement";

export const metadata: Metadata = { title: "Edit API" };

export default async function EditApiPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const api = await orNotFound(() => getApi(actor, id));
  if (!can(actor, "api:update", { ownerId: api.ownerId, teamId: api.teamId })) {
    forbidden();
  }
  const choices = placementChoices(actor, await getApiFormOptions(actor), { teamId: api.teamId, ownerId: api.ownerId });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Edit {api.name}</h1>
          <p>Changes are recorded in the API’s history and the audit log.</p>
        </div>
      </div>
      <ApiForm initial={toEditInput(api)} {...choices} mode={{ kind: "edit", id: api.id, version: api.version }} />
    </>
  );
}
