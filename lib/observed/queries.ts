import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import {
  apiTrafficState,
  observedGrantFlags,
  unknownCallerFlag,
  type Observed,
  type ObservedFlag,
} from "@/lib/observed/flags";

export type ObservedRow = {
  clientId: string;
  /** The recorded grant this caller is, or null for an unknown caller. */
  grant: { id: string; canModify: boolean } | null;
  seen:
    | (Omit<Observed, "firstAt" | "lastAt" | "lastSuccessAt" | "lastWriteAt"> & {
        firstAt: string;
        lastAt: string;
        lastSuccessAt: string | null;
        lastWriteAt: string | null;
      })
    | null;
  flags: ObservedFlag[];
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * One API's observed versus granted: every recorded grant with what its caller really did, and every
 * caller the gateways named that is no grant. Read from the maintained ObservedAccess rows (one per
 * caller), never from the raw events.
 */
export async function observedAccess(actor: Actor | null, apiId: string, now = new Date()) {
  const api = await db.api.findUnique({
    where: { id: apiId },
    select: { ownerId: true, teamId: true, lifecycle: true },
  });
  requirePermission(actor, "event:read", api ? { ownerId: api.ownerId, teamId: api.teamId } : undefined);
  return readObservedAccess(apiId, api?.lifecycle ?? null, now);
}

/**
 * observedAccess without asking who reads: for a service that has already authorised its own write (a
 * review's sign-off freezes what the traffic showed).
 */
export async function readObservedAccess(apiId: string, lifecycle: string | null, now = new Date()) {
  const [rows, grants] = await Promise.all([
    db.observedAccess.findMany({ where: { apiId } }),
    db.apiClient.findMany({
      where: { apiId },
      select: {
        id: true,
        name: true,
        canModify: true,
        credentialExpiresAt: true,
        approvedAt: true,
        credentialIssuedAt: true,
        createdAt: true,
      },
      orderBy: { name: "asc" },
    }),
  ]);
  const seen = new Map(
    rows.map((r): [string, Observed] => [
      r.clientId,
      {
        ...r,
        calls: Number(r.calls),
        reads: Number(r.reads),
        writes: Number(r.writes),
        failures: Number(r.failures),
      },
    ]),
  );
  const observedSince = rows.reduce<Date | null>((min, r) => (!min || r.firstAt < min ? r.firstAt : min), null);
  const lastCallAt = rows.reduce<Date | null>((max, r) => (!max || r.lastAt > max ? r.lastAt : max), null);
  const view = (s: Observed | undefined): ObservedRow["seen"] =>
    s
      ? {
          ...s,
          firstAt: s.firstAt.toISOString(),
          lastAt: s.lastAt.toISOString(),
          lastSuccessAt: iso(s.lastSuccessAt),
          lastWriteAt: iso(s.lastWriteAt),
        }
      : null;
  const names = new Set(grants.map((g) => g.name));
  const granted: ObservedRow[] = grants.map((g) => ({
    clientId: g.name,
    grant: { id: g.id, canModify: g.canModify },
    seen: view(seen.get(g.name)),
    flags: observedGrantFlags(
      { ...g, grantedAt: g.approvedAt ?? g.credentialIssuedAt ?? g.createdAt },
      seen.get(g.name) ?? null,
      observedSince,
      now,
    ),
  }));
  const unknown: ObservedRow[] = [...seen.values()]
    .filter((s) => s.clientId && !names.has(s.clientId))
    .sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime())
    .map((s) => ({ clientId: s.clientId, grant: null, seen: view(s), flags: [unknownCallerFlag(s)] }));
  const anonymous = seen.get("");
  return {
    observedSince: iso(observedSince),
    lastCallAt: iso(lastCallAt),
    state: lifecycle ? apiTrafficState(lifecycle, lastCallAt, now) : null,
    rows: [...granted, ...unknown],
    /** Calls whose gateway named no client. */
    anonymous: view(anonymous),
  };
}
export type ObservedAccessView = Awaited<ReturnType<typeof observedAccess>>;

/** When the API's gateways last sent an event (any caller), from the maintained rows; null: never. */
export async function lastObservedEvent(actor: Actor | null, apiId: string): Promise<Date | null> {
  requirePermission(actor, "api:read");
  const last = await db.observedAccess.aggregate({ where: { apiId }, _max: { lastAt: true } });
  return last._max.lastAt ?? null;
}
