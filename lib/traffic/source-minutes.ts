import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { minuteOf } from "@/lib/events/failure-minutes";

// What each traffic source sent per UTC minute (TrafficSourceMinute), kept by every batch in its
// transaction beside the source's running totals, so the sources list shows rates from at most an hour of
// rows per source instead of counting events (which unrouted and quarantined records never become).

/** Kept two days: the list shows the last hour; the rest is slack for a look back after a quiet night. */
export const SOURCE_MINUTE_DAYS = 2;
/** Minutes in the list's window, the current (partial) minute last. */
export const RATE_MINUTES = 60;

export type SourceMinuteCounts = { received: number; stored: number; quarantined: number; duplicates: number };

/**
 * The last minute this process pruned in. Expired rows are deleted at most once a minute per process:
 * the rows that expire in a minute are the ones of a single minute two days ago, and a delete on every
 * batch (thousands a minute from busy shippers) would only visit the index for nothing.
 */
let prunedMinute: number | null = null;

/** Adds a batch's counts to the source's current minute, and prunes minutes past two days. */
export async function recordSourceMinute(
  tx: Tx,
  sourceId: string,
  counts: SourceMinuteCounts,
  now: Date,
): Promise<void> {
  const minute = minuteOf(now);
  // Writes take turns under the audit chain's lock, so two batches of a source never race on one row.
  await tx.trafficSourceMinute.upsert({
    where: { sourceId_minute: { sourceId, minute } },
    create: { sourceId, minute, ...counts },
    update: {
      received: { increment: counts.received },
      stored: { increment: counts.stored },
      quarantined: { increment: counts.quarantined },
      duplicates: { increment: counts.duplicates },
    },
  });
  if (prunedMinute === minute.getTime()) return;
  // Through the index on the minute: only expired rows are visited.
  await tx.trafficSourceMinute.deleteMany({
    where: { minute: { lt: new Date(minute.getTime() - SOURCE_MINUTE_DAYS * 86_400_000) } },
  });
  prunedMinute = minute.getTime();
}

export type SourceRate = {
  /** Records received per minute, averaged over the last hour. */
  receivedPerMinute: number;
  receivedLastHour: number;
  storedLastHour: number;
  quarantinedLastHour: number;
  duplicatesLastHour: number;
  /** Records received in each of the last 60 minutes, oldest first; the last is the current minute so far. */
  perMinute: number[];
};

/** The rate of a source that sent nothing in the last hour. */
export const noRate = (): SourceRate => ({
  receivedPerMinute: 0,
  receivedLastHour: 0,
  storedLastHour: 0,
  quarantinedLastHour: 0,
  duplicatesLastHour: 0,
  perMinute: new Array<number>(RATE_MINUTES).fill(0),
});

type MinuteRow = SourceMinuteCounts & { sourceId: string; minute: Date };

/**
 * Each source's rate over the last hour, from one query over the minutes of every source (through the
 * index on the minute; the few sources a list has are then picked out here, so no list of ids is bound).
 * Callers authorise first: this reads every source's minutes.
 */
export async function sourceRates(sourceIds: string[], now: Date): Promise<Map<string, SourceRate>> {
  const last = minuteOf(now);
  const rows = await db.trafficSourceMinute.findMany({
    where: { minute: { gte: new Date(last.getTime() - (RATE_MINUTES - 1) * 60_000), lte: last } },
    select: { sourceId: true, minute: true, received: true, stored: true, quarantined: true, duplicates: true },
  });
  return ratesOf(rows, sourceIds, now);
}

/** The rates of the given sources from their minute rows (rows outside the window are left out). */
export function ratesOf(rows: MinuteRow[], sourceIds: string[], now: Date): Map<string, SourceRate> {
  const last = minuteOf(now).getTime();
  const rates = new Map<string, SourceRate>(sourceIds.map((id) => [id, noRate()]));
  for (const row of rows) {
    const rate = rates.get(row.sourceId);
    const ago = (last - minuteOf(row.minute).getTime()) / 60_000;
    if (!rate || ago < 0 || ago >= RATE_MINUTES) continue;
    rate.perMinute[RATE_MINUTES - 1 - ago]! += row.received;
    rate.receivedLastHour += row.received;
    rate.storedLastHour += row.stored;
    rate.quarantinedLastHour += row.quarantined;
    rate.duplicatesLastHour += row.duplicates;
  }
  for (const rate of rates.values()) rate.receivedPerMinute = rate.receivedLastHour / RATE_MINUTES;
  return rates;
}
