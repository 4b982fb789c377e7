import "server-only";
import { db } from "@/lib/db/client";
import { can, requirePermission, type Actor } from "@/lib/authz/policy";
import { apiTrafficState } from "@/lib/observed/flags";

export type TrafficStateApi = { id: string; name: string; lifecycle: string; lastCallAt: string };

/**
 * APIs whose traffic contradicts their lifecycle — zombies (deprecated or retired, still called) and
 * unused ones (active, no longer called) — and the discovered APIs waiting for a decision. From the
 * maintained ObservedAccess rows (one per API and caller), not the raw events. A system owner sees their
 * own APIs; the discovered ones are counted for those who manage traffic sources.
 */
export async function getTrafficStates(actor: Actor | null, now = new Date()) {
  requirePermission(actor, "api:read");
  const person = actor?.kind === "user" ? actor : null;
  const ownerOnly = person?.role === "SYSTEM_OWNER";
  const [last, discovered] = await Promise.all([
    can(actor, "event:read") ? db.observedAccess.groupBy({ by: ["apiId"], _max: { lastAt: true } }) : [],
    can(actor, "traffic:manage") ? db.discoveredApi.count({ where: { status: "NEW" } }) : 0,
  ]);
  const lastCall = new Map(last.map((l) => [l.apiId, l._max.lastAt]));
  const apis = await db.api.findMany({
    where: { id: { in: [...lastCall.keys()] }, deletedAt: null, ...(ownerOnly ? { ownerId: person.id } : {}) },
    select: { id: true, name: true, lifecycle: true },
    orderBy: { name: "asc" },
  });
  const zombies: TrafficStateApi[] = [];
  const unused: TrafficStateApi[] = [];
  for (const api of apis) {
    const at = lastCall.get(api.id) ?? null;
    const state = apiTrafficState(api.lifecycle, at, now);
    const row = { ...api, lastCallAt: at?.toISOString() ?? "" };
    if (state === "ZOMBIE") zombies.push(row);
    if (state === "UNUSED") unused.push(row);
  }
  return { zombies, unused, discovered };
}
export type TrafficStates = Awaited<ReturnType<typeof getTrafficStates>>;
