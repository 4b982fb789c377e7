import "server-only";
import { dbProvider, type Tx } from "@/lib/db/client";
import { yieldToEventLoop } from "@/lib/runtime/event-loop";

// Failed authentications per API, key and UTC minute (AuthFailureMinute), kept up to date by every batch
// in its transaction, so an alert window is a sum of at most a week of minutes instead of a count over
// every event of the API in the window.

/** Kept as long as the longest alert window a rule can have (a week), and a little more. */
export const FAILURE_MINUTE_DAYS = 8;
/** Keys upserted per statement (SQLite runs each on the event loop's own thread). */
const CHUNK = 200;

export type KeyKind = "client" | "source";
type Failure = { api: string; clientId: string; sourceIp: string; at: Date };

/** The start of the UTC minute a time falls in. */
export const minuteOf = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000);

const SQL = {
  sqlite: `INSERT INTO "AuthFailureMinute" ("apiId", "keyKind", "keyValue", "minute", "count")
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
      replace(json_extract(value, '$[3]'), 'Z', '+00:00'), json_extract(value, '$[4]')
    FROM json_each(?) WHERE true
    ON CONFLICT ("apiId", "keyKind", "keyValue", "minute") DO UPDATE SET "count" = "AuthFailureMinute"."count" + excluded."count"`,
  postgres: `INSERT INTO "AuthFailureMinute" ("apiId", "keyKind", "keyValue", "minute", "count")
    SELECT x."apiId", x."keyKind", x."keyValue", x."minute", x."count"
    FROM json_to_recordset($1::json) AS x("apiId" text, "keyKind" text, "keyValue" text, "minute" timestamp(3), "count" int)
    ON CONFLICT ("apiId", "keyKind", "keyValue", "minute") DO UPDATE SET "count" = "AuthFailureMinute"."count" + EXCLUDED."count"`,
};

/** Adds the batch's failures to their minutes (one set-based upsert per 200 keys) and prunes expired minutes. */
export async function recordFailureMinutes(tx: Tx, failures: Failure[], now = new Date()): Promise<void> {
  const counts = new Map<string, [string, KeyKind, string, string, number]>();
  for (const f of failures)
    for (const [kind, value] of [
      ["client", f.clientId],
      ["source", f.sourceIp],
    ] as const) {
      if (!value) continue;
      const minute = minuteOf(f.at).toISOString();
      const key = `${f.api}\u0000${kind}\u0000${value}\u0000${minute}`;
      const row = counts.get(key);
      if (row) row[4]++;
      else counts.set(key, [f.api, kind, value, minute, 1]);
    }
  const rows = [...counts.values()];
  for (let i = 0; i < rows.length; i += CHUNK) {
    if (i) await yieldToEventLoop();
    const chunk = rows.slice(i, i + CHUNK);
    const provider = dbProvider();
    // SQLite reads tuples by position; PostgreSQL's json_to_recordset takes objects.
    const json =
      provider === "sqlite"
        ? JSON.stringify(chunk)
        : JSON.stringify(
            chunk.map(([apiId, keyKind, keyValue, minute, count]) => ({ apiId, keyKind, keyValue, minute, count })),
          );
    await tx.$executeRawUnsafe(SQL[provider], json);
  }
  // Through the index on the minute: only expired rows are visited.
  await tx.authFailureMinute.deleteMany({
    where: { minute: { lt: new Date(now.getTime() - FAILURE_MINUTE_DAYS * 86_400_000) } },
  });
}

/**
 * Failures of one key within [from, to]: whole minutes summed from AuthFailureMinute, and the partial
 * minutes at either edge counted exactly from the events (each at most a minute of the API's events).
 */
export async function failuresWithin(
  tx: Tx,
  key: { apiId: string; kind: KeyKind; value: string },
  from: Date,
  to: Date,
  failureOutcomes: readonly string[],
): Promise<number> {
  const whole = { from: new Date(Math.ceil(from.getTime() / 60_000) * 60_000), to: minuteOf(to) };
  const events = (gte: Date, lt: Date | null, lte: Date | null) =>
    tx.authEvent.count({
      where: {
        apiId: key.apiId,
        outcome: { in: [...failureOutcomes] },
        at: { gte, ...(lt ? { lt } : {}), ...(lte ? { lte } : {}) },
        ...(key.kind === "client" ? { clientId: key.value } : { sourceIp: key.value }),
      },
    });
  // A window of a minute or two: counted from the events alone.
  if (whole.from >= whole.to) return events(from, null, to);
  const head = await events(from, whole.from, null);
  const middle = await tx.authFailureMinute.aggregate({
    where: { apiId: key.apiId, keyKind: key.kind, keyValue: key.value, minute: { gte: whole.from, lt: whole.to } },
    _sum: { count: true },
  });
  const tail = await events(whole.to, null, to);
  return head + (middle._sum.count ?? 0) + tail;
}
