import "server-only";
import { authorizedWrite, nothingToWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { failpoint } from "@/lib/runtime/failpoint";
import { getSettings } from "@/lib/settings/queries";

const SYSTEM = { kind: "system" as const, id: null, email: "retention@apiledger" };
const CHUNK = 10_000;

/**
 * Retention: raw events older than the retention period are folded into daily counts per API, client
 * and outcome, then deleted — in chunks, each in one audited transaction, so the counts and the
 * deletion always agree. Run hourly by `npm start`.
 */
export async function rollUpOldEvents(now = new Date(), chunk = CHUNK): Promise<number> {
  const { eventRetentionDays } = await getSettings();
  const cutoff = new Date(now.getTime() - eventRetentionDays * 86_400_000);
  // Events are indexed by (API, time) only, so old ones are found API by API: one probe of the index per
  // API says which have any (APIs are never hard-deleted, so every event's API is in the table).
  const apis = await db.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "Api" WHERE EXISTS (SELECT 1 FROM "AuthEvent" WHERE "AuthEvent"."apiId" = "Api"."id" AND "AuthEvent"."at" < ${cutoff}) ORDER BY "id"`;
  let total = 0;
  let pending: OldEvent[] = [];
  for (const { id } of apis) {
    for (;;) {
      const old = await db.authEvent.findMany({
        where: { apiId: id, at: { lt: cutoff } },
        orderBy: { at: "asc" },
        take: chunk - pending.length,
        select: { id: true, apiId: true, at: true, clientId: true, outcome: true },
      });
      pending.push(...old);
      if (pending.length < chunk) break;
      total += await foldAndDelete(pending, cutoff, eventRetentionDays);
      pending = [];
    }
  }
  if (pending.length) total += await foldAndDelete(pending, cutoff, eventRetentionDays);
  return total;
}

type OldEvent = { id: string; apiId: string; at: Date; clientId: string; outcome: string };

/**
 * One chunk in one audited transaction, so the counts and the deletion always agree. The chunk was read
 * before the transaction, and another process (a second instance, the worker) may have rolled some of it
 * up since: what is counted is what this transaction finds and deletes, read again in it — the write runs
 * alone (lib/audit/authorized-write.ts), so nothing else can take those events before it commits.
 */
async function foldAndDelete(old: OldEvent[], cutoff: Date, eventRetentionDays: number): Promise<number> {
  return authorizedWrite({ actor: SYSTEM }, { permission: "event:ingest" }, async (tx, audit) => {
    const still = await tx.authEvent.findMany({
      where: { id: { in: old.map((e) => e.id) } },
      select: { id: true, apiId: true, at: true, clientId: true, outcome: true },
    });
    // Every event of the chunk was rolled up by another process.
    if (!still.length) return nothingToWrite(0);
    const counts = new Map<string, { apiId: string; day: Date; clientId: string; outcome: string; count: number }>();
    for (const e of still) {
      const day = new Date(`${e.at.toISOString().slice(0, 10)}T00:00:00Z`);
      const key = `${e.apiId}\u0000${day.toISOString()}\u0000${e.clientId}\u0000${e.outcome}`;
      const c = counts.get(key) ?? { apiId: e.apiId, day, clientId: e.clientId, outcome: e.outcome, count: 0 };
      c.count++;
      counts.set(key, c);
    }
    for (const c of counts.values()) {
      await tx.authEventDaily.upsert({
        where: { apiId_day_clientId_outcome: { apiId: c.apiId, day: c.day, clientId: c.clientId, outcome: c.outcome } },
        create: c,
        update: { count: { increment: c.count } },
      });
    }
    const { count } = await tx.authEvent.deleteMany({ where: { id: { in: still.map((e) => e.id) } } });
    if (count !== still.length) throw new Error(`Roll-up found ${still.length} events and deleted ${count}`);
    // The cluster proof kills a roll-up here, counts added and events deleted but not committed.
    await failpoint("roll-up:chunk-folded");
    await audit({
      action: "events.roll-up",
      targetType: "auth-events",
      targetId: "-",
      summary: `${count} authentication event(s) older than ${eventRetentionDays} days rolled up into daily counts`,
      details: { count, cutoff: cutoff.toISOString(), dailyRows: counts.size },
    });
    return count;
  });
}
