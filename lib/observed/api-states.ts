import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma-sqlite/client";
import { can, requirePermission, type Actor } from "@/lib/authz/policy";
import { quietCutoff, type TRAFFIC_STATES } from "@/lib/observed/flags";

export type TrafficStateApi = { id: string; name: string; lifecycle: string; lastCallAt: string };

type TrafficState = (typeof TRAFFIC_STATES)[number];

/**
 * The APIs in a traffic state now, from each API's maintained last call (ApiLastCall, indexed by time):
 * a zombie was called after `calledAfter`, an unused API last before it (apiTrafficState as a query).
 */
export function trafficStateWhere(state: TrafficState, calledAfter: Date): Prisma.ApiWhereInput {
  return state === "ZOMBIE"
    ? { lifecycle: { in: ["DEPRECATED", "RETIRED"] }, lastCall: { lastAt: { gt: calledAfter } } }
    : { lifecycle: "ACTIVE", lastCall: { lastAt: { lte: calledAfter } } };
}

/** The APIs of each state the dashboard names; the rest are counted. */
export const TRAFFIC_STATES_SHOWN = 10;

/**
 * APIs whose traffic contradicts their lifecycle — zombies (deprecated or retired, still called) and
 * unused ones (active, no longer called) — and the discovered APIs waiting for a decision: the first
 * few of each by name and how many there are. From each API's maintained last call (ApiLastCall, one row
 * per API, indexed by time), never from the events or the callers' rows. A system owner sees their own
 * APIs; the discovered ones are counted for those who manage traffic sources.
 */
export async function getTrafficStates(actor: Actor | null, now = new Date()) {
  requirePermission(actor, "api:read");
  const person = actor?.kind === "user" ? actor : null;
  const ownerOnly = person?.role === "SYSTEM_OWNER";
  const cutoff = quietCutoff(now);
  const where = (state: TrafficState): Prisma.ApiWhereInput => ({
    deletedAt: null,
    ...(ownerOnly ? { ownerId: person.id } : {}),
    ...trafficStateWhere(state, cutoff),
  });
  const list = (state: TrafficState) =>
    db.api
      .findMany({
        where: where(state),
        select: { id: true, name: true, lifecycle: true, lastCall: { select: { lastAt: true } } },
        orderBy: { name: "asc" },
        take: TRAFFIC_STATES_SHOWN,
      })
      .then((apis) =>
        apis.map((a): TrafficStateApi => ({
          id: a.id,
          name: a.name,
          lifecycle: a.lifecycle,
          lastCallAt: a.lastCall?.lastAt.toISOString() ?? "",
        })),
      );
  const reads = can(actor, "event:read");
  const [zombies, zombieCount, unused, unusedCount, discovered] = await Promise.all([
    reads ? list("ZOMBIE") : [],
    reads ? db.api.count({ where: where("ZOMBIE") }) : 0,
    reads ? list("UNUSED") : [],
    reads ? db.api.count({ where: where("UNUSED") }) : 0,
    can(actor, "traffic:manage") ? db.discoveredApi.count({ where: { status: "NEW" } }) : 0,
  ]);
  return { zombies, zombieCount, unused, unusedCount, discovered };
}
export type TrafficStates = Awaited<ReturnType<typeof getTrafficStates>>;
