import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/current-actor";
import { canSometimes } from "@/lib/authz/policy";
import { getApiFormOptions } from "@/lib/apis/queries";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { ApiForm } from "@/components/apis/api-form";
import { Forbidden } from "@/components/layout/forbidden";

export const metadata: Metadata = { title: "Register an API" };

export default async function NewApiPage() {
  const actor = await requireActor();
  if (!canSometimes(actor, "api:create")) return <Forbidden message="Your role cannot register APIs. System owners register the APIs of their team." />;
  const { teams, users } = await getApiFormOptions(actor);
  // System owners may register only into their own team, so that is the only choice they get.
  const allowedTeams = actor?.role === "SYSTEM_OWNER" ? teams.filter((t) => t.id === actor.teamId) : teams;
  const initial = { ...EMPTY_API_INPUT, teamId: allowedTeams.length === 1 ? allowedTeams[0]!.id : "", ownerId: actor?.role === "SYSTEM_OWNER" ? actor.id : "" };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Register an API</h1>
          <p>Record what the API does and how it is protected. ApiLedger works out which ISM controls apply and whether they are met.</p>
        </div>
      </div>
      <ApiForm initial={initial} teams={allowedTeams} users={users} mode={{ kind: "create" }} />
    </>
  );
}
