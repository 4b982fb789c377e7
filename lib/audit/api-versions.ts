import { createHash } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma-sqlite/client";
import { placeholders, type Tx } from "@/lib/db/client";

/**
 * The history of each API and its clients (issue 15, evidence as of the period it covers). After every
 * audited change whose target is an API (its record, its description's counts, a triage, a client or
 * grant), authorizedWrite stores the API and its clients as they now stand, in the same transaction,
 * unless nothing but volatile fields changed. A bundle for a past period reads the last state stored
 * before the period's end instead of today's values.
 */

/** The API as stored, with the names the inventory prints (team, owner) as they were then. */
export const STATE_INCLUDE = {
  team: { select: { id: true, name: true } },
  owner: { select: { id: true, name: true, email: true } },
} as const;
export type ApiStateRow = Prisma.ApiGetPayload<{ include: typeof STATE_INCLUDE }>;
export type ClientStateRow = Prisma.ApiClientGetPayload<object>;
export type ApiState = { api: ApiStateRow; clients: ClientStateRow[] };

/**
 * Fields that change without anything an auditor would call a change (the row's own bookkeeping, the
 * last sighting a batch of events moves forward): kept in the state, left out of its hash, so a write
 * that only touches them stores no new version.
 */
const VOLATILE_API = new Set(["updatedAt", "updatedById", "version"]);
const VOLATILE_CLIENT = new Set(["updatedAt", "lastSeenAt", "version"]);

/** JSON in which a Date stays a Date: {"$date": ISO}. Stored text never needs a schema to be read back. */
export function encodeState(state: ApiState): string {
  return JSON.stringify(state, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : value;
  });
}

export function decodeState(text: string): ApiState {
  return revive(JSON.parse(text)) as ApiState;
}

/**
 * Turns each {"$date": …} back into a Date, in place. A walk after the parse rather than a reviver:
 * JSON.parse calls a reviver for every value, which made decoding 10,000 states cost seconds (measured).
 */
function revive(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.$date === "string" && Object.keys(record).length === 1) return new Date(record.$date);
  for (const key in record) record[key] = revive(record[key]);
  return record;
}

const withoutVolatile = (row: object, volatile: Set<string>) =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !volatile.has(k)));

function stateHash(state: ApiState): string {
  const stable = {
    api: withoutVolatile(state.api, VOLATILE_API),
    clients: state.clients.map((c) => withoutVolatile(c, VOLATILE_CLIENT)),
  };
  return createHash("sha256")
    .update(encodeState(stable as unknown as ApiState))
    .digest("hex");
}

const LOOKUP = 500;

function byApi(clients: ClientStateRow[]): Map<string, ClientStateRow[]> {
  const out = new Map<string, ClientStateRow[]>();
  for (const c of clients) (out.get(c.apiId) ?? out.set(c.apiId, []).get(c.apiId)!).push(c);
  return out;
}

/**
 * Stores the new state of every API the audit entries name (targetType "api"), in the write's own
 * transaction: `at` is the entries' time, `auditHash` the last entry naming each API. An API whose state
 * hash equals its last version's stores nothing.
 */
export async function recordApiVersions(
  tx: Tx,
  entries: readonly { targetType: string; targetId: string; hash: string }[],
  at: Date,
): Promise<void> {
  const lastEntry = new Map<string, string>();
  for (const e of entries) if (e.targetType === "api") lastEntry.set(e.targetId, e.hash);
  const ids = [...lastEntry.keys()];
  for (let i = 0; i < ids.length; i += LOOKUP) {
    const chunk = ids.slice(i, i + LOOKUP);
    const [apis, clients, latest] = await Promise.all([
      tx.api.findMany({ where: { id: { in: chunk } }, include: STATE_INCLUDE }),
      tx.apiClient.findMany({ where: { apiId: { in: chunk } }, orderBy: [{ apiId: "asc" }, { id: "asc" }] }),
      latestVersions(tx, chunk, null),
    ]);
    const clientsOf = byApi(clients);
    const rows = [];
    for (const api of apis) {
      const state: ApiState = { api, clients: clientsOf.get(api.id) ?? [] };
      const sha = stateHash(state);
      if (latest.get(api.id)?.stateSha256 === sha) continue;
      rows.push({
        apiId: api.id,
        validFrom: at,
        auditHash: lastEntry.get(api.id)!,
        stateSha256: sha,
        state: encodeState(state),
        live: api.deletedAt === null,
        // The stored control results (lib/ism/controls.ts names the columns; audit cannot import it).
        ism1818: api.ism1818,
        ism1817: api.ism1817,
        ism1910: api.ism1910,
        ism2013: api.ism2013,
        ism2014: api.ism2014,
        ism2015: api.ism2015,
      });
    }
    if (rows.length) await tx.apiVersion.createMany({ data: rows });
  }
}

type VersionClient = Pick<Tx, "apiVersion">;

/**
 * The last version of each API stored below a date or a sequence number (or the last at all, for
 * null). Versions are
 * appended in commit order, so the highest sequence number is the latest.
 */
async function latestVersions(
  client: VersionClient,
  apiIds: string[],
  below: { validFrom: { lt: Date } } | { seq: { lt: number } } | null,
): Promise<Map<string, { apiId: string; validFrom: Date; stateSha256: string; state: string }>> {
  const heads = await client.apiVersion.groupBy({
    by: ["apiId"],
    where: { apiId: { in: apiIds }, ...below },
    _max: { seq: true },
  });
  if (!heads.length) return new Map();
  const rows = await client.apiVersion.findMany({
    where: { seq: { in: heads.map((h) => h._max.seq!) } },
    select: { apiId: true, validFrom: true, stateSha256: true, state: true },
  });
  return new Map(rows.map((r) => [r.apiId, r]));
}

/** Where a state came from: the version in force at the date asked for, or today's record (no history then). */
export type StateAsOf = ApiState & { recordedAt: Date | null };

/**
 * Each API's state as it stood at `at`, for a page of current API rows (which say which APIs existed).
 * An API changed before `at` reads its last version before it. An API with no version before `at` (it
 * predates the history, which starts with this release) reads today's record and `recordedAt: null`,
 * so the bundle can say its values are today's.
 */
export async function statesAsOf(
  client: Pick<Tx, "apiVersion" | "api" | "apiClient">,
  apiIds: string[],
  at: Date,
): Promise<Map<string, StateAsOf>> {
  const out = new Map<string, StateAsOf>();
  for (let i = 0; i < apiIds.length; i += LOOKUP) {
    const chunk = apiIds.slice(i, i + LOOKUP);
    const versions = await latestVersions(client, chunk, { validFrom: { lt: at } });
    for (const [apiId, v] of versions) out.set(apiId, { ...decodeState(v.state), recordedAt: v.validFrom });
    const missing = chunk.filter((id) => !versions.has(id));
    if (!missing.length) continue;
    const [apis, clients] = await Promise.all([
      client.api.findMany({ where: { id: { in: missing } }, include: STATE_INCLUDE }),
      client.apiClient.findMany({ where: { apiId: { in: missing } }, orderBy: [{ apiId: "asc" }, { id: "asc" }] }),
    ]);
    const clientsOf = byApi(clients);
    for (const api of apis) out.set(api.id, { api, clients: clientsOf.get(api.id) ?? [], recordedAt: null });
  }
  return out;
}

/** One stored change of an API between two dates, with the fields it changed (volatile ones left out). */
export type ApiChange = { apiId: string; at: Date; auditHash: string; name: string; changed: string[] };

/**
 * Every version stored in [from, to), each compared with the one before it: which of the API's fields
 * changed, and which clients were added, removed or changed (by name). A first version says "recorded".
 */
export async function* changesBetween(
  client: Pick<Tx, "apiVersion" | "$queryRawUnsafe">,
  apiIds: string[] | null,
  from: Date,
  to: Date,
): AsyncIterable<ApiChange> {
  let after = 0;
  for (;;) {
    const page = await client.apiVersion.findMany({
      where: { validFrom: { gte: from, lt: to }, seq: { gt: after }, ...(apiIds ? { apiId: { in: apiIds } } : {}) },
      orderBy: { seq: "asc" },
      take: LOOKUP,
    });
    if (!page.length) return;
    after = page.at(-1)!.seq;
    // The version before each one (by sequence: the commit order), in one query for the page.
    const marks = placeholders(page.length).join(", ");
    const before = await client.$queryRawUnsafe<{ seq: number; state: string | null }[]>(
      `SELECT v."seq" AS "seq", (SELECT p."state" FROM "ApiVersion" p WHERE p."apiId" = v."apiId" AND p."seq" < v."seq" ORDER BY p."seq" DESC LIMIT 1) AS "state" FROM "ApiVersion" v WHERE v."seq" IN (${marks})`,
      ...page.map((v) => v.seq),
    );
    const previous = new Map(before.map((p) => [Number(p.seq), p.state]));
    for (const v of page) {
      const now = decodeState(v.state);
      const prior = previous.get(v.seq);
      yield {
        apiId: v.apiId,
        at: v.validFrom,
        auditHash: v.auditHash,
        name: now.api.name,
        changed: prior ? changedFields(decodeState(prior), now) : ["recorded"],
      };
    }
    if (page.length < LOOKUP) return;
  }
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a instanceof Date ? a.toISOString() : a) === JSON.stringify(b instanceof Date ? b.toISOString() : b);

export function changedFields(before: ApiState, after: ApiState): string[] {
  const out: string[] = [];
  const a = before.api as unknown as Record<string, unknown>;
  const b = after.api as unknown as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (VOLATILE_API.has(key) || key === "searchText") continue;
    if (!same(a[key], b[key])) out.push(key);
  }
  const old = new Map(before.clients.map((c) => [c.id, c]));
  for (const c of after.clients) {
    const o = old.get(c.id);
    if (!o) out.push(`client “${c.name}” added`);
    else {
      const fields = Object.keys(c).filter(
        (k) => !VOLATILE_CLIENT.has(k) && !same((o as Record<string, unknown>)[k], (c as Record<string, unknown>)[k]),
      );
      if (fields.length) out.push(`client “${c.name}”: ${fields.join(", ")}`);
    }
    old.delete(c.id);
  }
  for (const o of old.values()) out.push(`client “${o.name}” removed`);
  return out;
}
