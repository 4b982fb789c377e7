import "server-only";
import { dbProvider, type Tx } from "@/lib/db/client";
import { yieldToEventLoop } from "@/lib/runtime/event-loop";
import type { Observed } from "@/lib/observed/flags";

// Keeps ObservedAccess up to date from a batch of events, in the batch's transaction: one row per API
// and caller, merged with what the batch adds. Writes take turns (the audit chain's lock), so the read
// and the update below cannot interleave with another batch's.

type Call = { api: string; clientId: string; at: Date; outcome: string; method: string };

const READS = new Set(["GET", "HEAD", "OPTIONS"]);
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/**
 * Callers upserted per statement. SQLite runs a statement on the event loop's own thread: 1,000 at a time
 * (about 9 ms each), with the loop handed back between them. One statement of 2,000 once held
 * /api/health past 200 ms in the load suite; 1,000 keep it within, and take a fifth of the statements 200 did.
 */
const CHUNK = 1000;

/** The method class of a call: reads and writes; anything else (no method recorded) is neither. */
export function methodClass(method: string): "read" | "write" | null {
  const m = method.toUpperCase();
  return READS.has(m) ? "read" : WRITES.has(m) ? "write" : null;
}

/** What is known of one API's caller: ObservedAccess's row, as it is summed up. */
export type Seen = Observed & { apiId: string };

const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/**
 * Adds `count` calls of one method and outcome, made between `first` and `last`, to a caller's summary
 * (a batch's events one at a time; the evidence bundle's grouped events a group at a time).
 */
export function addCalls(
  into: Map<string, Seen>,
  call: { api: string; clientId: string; method: string; outcome: string; first: Date; last: Date; count: number },
): void {
  const key = `${call.api}\u0000${call.clientId}`;
  let s = into.get(key);
  if (!s) {
    s = {
      apiId: call.api,
      clientId: call.clientId,
      firstAt: call.first,
      lastAt: call.last,
      lastSuccessAt: null,
      lastWriteAt: null,
      calls: 0,
      reads: 0,
      writes: 0,
      failures: 0,
    };
    into.set(key, s);
  }
  const kind = methodClass(call.method);
  const ok = call.outcome === "success";
  s.calls += call.count;
  if (kind === "read") s.reads += call.count;
  if (kind === "write") s.writes += call.count;
  if (!ok) s.failures += call.count;
  s.firstAt = earlier(s.firstAt, call.first);
  s.lastAt = later(s.lastAt, call.last)!;
  if (ok) s.lastSuccessAt = later(s.lastSuccessAt, call.last);
  if (ok && kind === "write") s.lastWriteAt = later(s.lastWriteAt, call.last);
}

/** What the batch adds per API and caller. */
export function summarise(events: Call[]): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  for (const e of events)
    addCalls(seen, {
      api: e.api,
      clientId: e.clientId,
      method: e.method,
      outcome: e.outcome,
      first: e.at,
      last: e.at,
      count: 1,
    });
  return seen;
}

const COLUMNS = [
  "apiId",
  "clientId",
  "firstAt",
  "lastAt",
  "lastSuccessAt",
  "lastWriteAt",
  "calls",
  "reads",
  "writes",
  "failures",
];
const q = (name: string) => `"${name}"`;
const mine = (name: string) => `"ObservedAccess".${q(name)}`;

// One set-based upsert per batch (not a read and an update per caller: a batch of 10,000 events can name
// as many callers). Dates go in as ISO text; SQLite keeps Prisma's "+00:00" form, which compares as text
// in time order, and PostgreSQL's timestamp(3) holds the UTC time.
const SQL = {
  sqlite: `INSERT INTO "ObservedAccess" (${COLUMNS.map(q).join(", ")})
    SELECT ${COLUMNS.map((c, i) =>
      c.endsWith("At") ? `replace(json_extract(value, '$[${i}]'), 'Z', '+00:00')` : `json_extract(value, '$[${i}]')`,
    ).join(", ")}
    FROM json_each(?) WHERE true
    ON CONFLICT ("apiId", "clientId") DO UPDATE SET
      "firstAt" = min(${mine("firstAt")}, excluded."firstAt"),
      "lastAt" = max(${mine("lastAt")}, excluded."lastAt"),
      "lastSuccessAt" = max(coalesce(${mine("lastSuccessAt")}, excluded."lastSuccessAt"), coalesce(excluded."lastSuccessAt", ${mine("lastSuccessAt")})),
      "lastWriteAt" = max(coalesce(${mine("lastWriteAt")}, excluded."lastWriteAt"), coalesce(excluded."lastWriteAt", ${mine("lastWriteAt")})),
      ${["calls", "reads", "writes", "failures"].map((c) => `${q(c)} = ${mine(c)} + excluded.${q(c)}`).join(", ")}`,
  postgres: `INSERT INTO "ObservedAccess" (${COLUMNS.map(q).join(", ")})
    SELECT ${COLUMNS.map((c) => `x.${q(c)}`).join(", ")}
    FROM json_to_recordset($1::json) AS x("apiId" text, "clientId" text, "firstAt" timestamp(3), "lastAt" timestamp(3),
      "lastSuccessAt" timestamp(3), "lastWriteAt" timestamp(3), "calls" bigint, "reads" bigint, "writes" bigint, "failures" bigint)
    ON CONFLICT ("apiId", "clientId") DO UPDATE SET
      "firstAt" = LEAST(${mine("firstAt")}, EXCLUDED."firstAt"),
      "lastAt" = GREATEST(${mine("lastAt")}, EXCLUDED."lastAt"),
      "lastSuccessAt" = GREATEST(${mine("lastSuccessAt")}, EXCLUDED."lastSuccessAt"),
      "lastWriteAt" = GREATEST(${mine("lastWriteAt")}, EXCLUDED."lastWriteAt"),
      ${["calls", "reads", "writes", "failures"].map((c) => `${q(c)} = ${mine(c)} + EXCLUDED.${q(c)}`).join(", ")}`,
};

/** Each API's latest call (ApiLastCall), moved forward by the batch's. */
const LAST_CALL_SQL = {
  sqlite: `INSERT INTO "ApiLastCall" ("apiId", "lastAt")
    SELECT json_extract(value, '$[0]'), replace(json_extract(value, '$[1]'), 'Z', '+00:00') FROM json_each(?) WHERE true
    ON CONFLICT ("apiId") DO UPDATE SET "lastAt" = max("ApiLastCall"."lastAt", excluded."lastAt")`,
  postgres: `INSERT INTO "ApiLastCall" ("apiId", "lastAt")
    SELECT x."apiId", x."lastAt" FROM json_to_recordset($1::json) AS x("apiId" text, "lastAt" timestamp(3))
    ON CONFLICT ("apiId") DO UPDATE SET "lastAt" = GREATEST("ApiLastCall"."lastAt", EXCLUDED."lastAt")`,
};

/** Every API's events per UTC day and outcome (AuthEventDayTotal), added to by the batch's. */
const DAY_TOTAL_SQL = {
  sqlite: `INSERT INTO "AuthEventDayTotal" ("day", "outcome", "count")
    SELECT json_extract(value, '$[0]') || 'T00:00:00.000+00:00', json_extract(value, '$[1]'), json_extract(value, '$[2]')
    FROM json_each(?) WHERE true
    ON CONFLICT ("day", "outcome") DO UPDATE SET "count" = "AuthEventDayTotal"."count" + excluded."count"`,
  postgres: `INSERT INTO "AuthEventDayTotal" ("day", "outcome", "count")
    SELECT x."day"::timestamp(3), x."outcome", x."count" FROM json_to_recordset($1::json) AS x("day" text, "outcome" text, "count" bigint)
    ON CONFLICT ("day", "outcome") DO UPDATE SET "count" = "AuthEventDayTotal"."count" + EXCLUDED."count"`,
};

const DAY_MS = 86_400_000;

/** A batch's events counted per UTC day ("2026-12-05") and outcome: a few rows for any batch. */
export function dayTotals(events: Pick<Call, "at" | "outcome">[]): [day: string, outcome: string, count: number][] {
  // Keyed by the day's number and the outcome: one date is formatted per row, not per event.
  const totals = new Map<string, Map<number, number>>();
  for (const e of events) {
    let days = totals.get(e.outcome);
    if (!days) totals.set(e.outcome, (days = new Map()));
    const day = Math.floor(e.at.getTime() / DAY_MS);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return [...totals].flatMap(([outcome, days]) =>
    [...days].map(([day, count]): [string, string, number] => [
      new Date(day * DAY_MS).toISOString().slice(0, 10),
      outcome,
      count,
    ]),
  );
}

export async function recordObservedAccess(tx: Pick<Tx, "$executeRawUnsafe">, events: Call[]): Promise<void> {
  const totals = dayTotals(events);
  if (totals.length) {
    if (dbProvider() === "sqlite") await tx.$executeRawUnsafe(DAY_TOTAL_SQL.sqlite, JSON.stringify(totals));
    else
      await tx.$executeRawUnsafe(
        DAY_TOTAL_SQL.postgres,
        JSON.stringify(totals.map(([day, outcome, count]) => ({ day, outcome, count }))),
      );
  }
  const seen = [...summarise(events).values()];
  const lastCall = new Map<string, Date>();
  for (const s of seen) lastCall.set(s.apiId, later(lastCall.get(s.apiId) ?? null, s.lastAt)!);
  const latest = [...lastCall].map(([apiId, at]) => [apiId, at.toISOString()]);
  for (let i = 0; i < latest.length; i += CHUNK) {
    const chunk = latest.slice(i, i + CHUNK);
    if (dbProvider() === "sqlite") await tx.$executeRawUnsafe(LAST_CALL_SQL.sqlite, JSON.stringify(chunk));
    else
      await tx.$executeRawUnsafe(
        LAST_CALL_SQL.postgres,
        JSON.stringify(chunk.map(([apiId, lastAt]) => ({ apiId, lastAt }))),
      );
  }
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  for (let i = 0; i < seen.length; i += CHUNK) {
    if (i) await yieldToEventLoop();
    const chunk = seen.slice(i, i + CHUNK);
    if (dbProvider() === "sqlite")
      await tx.$executeRawUnsafe(
        SQL.sqlite,
        JSON.stringify(
          chunk.map((s) => [
            s.apiId,
            s.clientId,
            iso(s.firstAt),
            iso(s.lastAt),
            iso(s.lastSuccessAt),
            iso(s.lastWriteAt),
            s.calls,
            s.reads,
            s.writes,
            s.failures,
          ]),
        ),
      );
    else
      await tx.$executeRawUnsafe(
        SQL.postgres,
        JSON.stringify(
          chunk.map((s) => ({
            ...s,
            firstAt: iso(s.firstAt),
            lastAt: iso(s.lastAt),
            lastSuccessAt: iso(s.lastSuccessAt),
            lastWriteAt: iso(s.lastWriteAt),
          })),
        ),
      );
  }
}
