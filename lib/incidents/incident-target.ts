import "server-only";
import type { Tx } from "@/lib/db/client";
import { tokenTeam, type Actor, type Target } from "@/lib/authz/policy";
import type { Prisma } from "@/lib/generated/prisma-sqlite/client";

// Which team an incident belongs to: every team whose API it affects (deleted APIs included — the
// incident still concerns them). An incident of several teams belongs to each, so a token limited to
// one team reads and works only incidents that affect its team's APIs alone; one that also touches
// another team's API, or (after hard deletes) no API at all, needs an unrestricted credential.

type IncidentFacts = { handlerId: string | null; status: string; apis: { api: { teamId: string } }[] };

export const INCIDENT_TARGET_SELECT = {
  handlerId: true,
  status: true,
  apis: { select: { api: { select: { teamId: true } } } },
} as const;

/** An incident as a permission target: its handler, its teams, and locked once closed. */
export function toIncidentTarget(i: IncidentFacts, options: { ignoreLock?: boolean } = {}): Target {
  return {
    ownerId: i.handlerId,
    locked: !options.ignoreLock && i.status === "CLOSED",
    teamIds: [...new Set(i.apis.map((a) => a.api.teamId))],
  };
}

export function incidentTarget(
  incidentId: string,
  options: { ignoreLock?: boolean; alsoApiIds?: readonly string[] } = {},
) {
  return async (tx: Tx): Promise<Target | null> => {
    const i = await tx.incident.findUnique({ where: { id: incidentId }, select: INCIDENT_TARGET_SELECT });
    if (!i) return null;
    const target = toIncidentTarget(i, options);
    // An edit that changes the affected APIs must be allowed on the incident as it will be, too.
    if (!options.alsoApiIds) return target;
    return { ...target, teamIds: [...new Set([...target.teamIds!, ...(await teamsOfApis(tx, options.alsoApiIds))])] };
  };
}

/** The teams of the (existing) APIs named; ids that match nothing are left to the input's validation. */
export async function teamsOfApis(tx: Tx, apiIds: readonly string[]): Promise<string[]> {
  const rows = await tx.api.findMany({ where: { id: { in: [...new Set(apiIds)] } }, select: { teamId: true } });
  return [...new Set(rows.map((r) => r.teamId))];
}

/** The same rule as a filter for lists: all of a team-limited token's incidents, and no others. */
export function incidentScope(actor: Actor | null): Prisma.IncidentWhereInput {
  const team = tokenTeam(actor);
  return team ? { apis: { some: {}, every: { api: { teamId: team } } } } : {};
}
