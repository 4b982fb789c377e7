import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/current-actor";
import Link from "next/link";
import { can, canSometimes } from "@/lib/authz/policy";
import { getApiFormOptions } from "@/lib/apis/queries";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { placementChoices } from "@/lib/apis/placement";
import { ApiForm } from "@/components/apis/api-form";

export const metadata: Metadata = { title: "Register an API" };

/** A query value as one string, or "". */
const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : "");

export default async function NewApiPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  // Prefilled from a discovered API (/traffic/routing): only suggestions, each checked again on submit.
  const from = await searchParams;
  if (!canSometimes(actor, "api:create")) forbidden();
  // Only the teams and owners the policy allows are offered (system owners: their own team and its members).
  const choices = placementChoices(actor, await getApiFormOptions(actor), null);
  const team = choices.teams.find((t) => t.id === one(from.team));
  const baseUrl = one(from.baseUrl).slice(0, 2000);
  const initial = {
    ...EMPTY_API_INPUT,
    name: one(from.name).slice(0, 120),
    teamId: team?.id ?? (choices.teams.length === 1 ? choices.teams[0]!.id : ""),
    ownerId: actor?.role === "SYSTEM_OWNER" ? actor.id : "",
    environments: /^https?:\/\//.test(baseUrl) ? [{ name: "production", baseUrl }] : [],
  };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Register an API</h1>
          <p>
            Record what the API does and how it is protected. ApiLedger works out which ISM controls apply and whether
            they are met.
          </p>
        </div>
      </div>
      {choices.teams.length === 0 ? (
        // A new installation: an API belongs to a team, and there is none yet.
        <div className="alert alert-warn" role="note">
          An API belongs to a team, and no team exists yet.{" "}
          {can(actor, "user:manage") ? (
            <>
              <Link href="/users">Create a team on the Users page</Link>, then come back.
            </>
          ) : (
            "Ask an administrator to create your team (Users page)."
          )}
        </div>
      ) : (
        <ApiForm initial={initial} {...choices} mode={{ kind: "create" }} />
      )}
    </>
  );
}
