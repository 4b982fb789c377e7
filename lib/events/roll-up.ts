import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db";
import { getSettings } from "@/lib/settings/queries";

const SYSTEM = { kind: "system" as const, id: null, email: "retention@apiledger" };
const CHUNK = 10_000;

/**
 * Retention: raw events older than the retention period are folded into daily counts per API, client
 * and outcome, then deleted — in chunks, each in one audited transaction, so the counts and the
 * deletion always agree. Run hourly by `npm start`.
 */
export async function rollUpOldEvents(now = new Date()): Promise<number> {
  const { eventRetentionDays } = await getSettings();
  const cutoff = new Date(now.getTime() - eventRetentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    const old = await db.authEvent.findMany({ where: { at: { lt: cutoff } }, orderBy: { at: "asc" }, take: CHUNK, select: { id: true, apiId: true, at: true, clientId: true, outcome: true } });
    if (!old.length) return total;
    const counts = new Map<string, { apiId: string; day: Date; clientId: string; outcome: string; count: number }>();
    for (const e of old) {
      const day = new Date(`${e.at.toISOString().slice(0, 10)}T00:00:00Z`);
      const key = `${e.apiId}\u0000${day.toISOString()}\u0000${e.clientId}\u0000${e.outcome}`;
      const c = counts.get(key) ?? { apiId: e.apiId, day, clientId: e.clientId, outcome: e.outcome, count: 0 };
      c.count++;
      counts.set(key, c);
    }
    await authorizedWrite({ actor: SYSTEM }, { action: "event:ingest" }, async (tx, audit) => {
      for (const c of counts.values()) {
        await tx.authEventDaily.upsert({ where: { apiId_day_clientId_outcome: { apiId: c.apiId, day: c.day, clientId: c.clientId, outcome: c.outcome } }, create: c, update: { count: { increment: c.count } } });
      }
      const { count } = await tx.authEvent.deleteMany({ where: { id: { in: old.map((e) => e.id) } } });
      await audit({ action: "events.roll-up", targetType: "auth-events", targetId: "-", summary: `${count} authentication event(s) older than ${eventRetentionDays} days rolled up into daily counts`, details: { count, cutoff: cutoff.toISOString(), dailyRows: counts.size } });
    });
    total += old.length;
  }
}
