import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requirePermission } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { storeAuthEvents, type Event, type EventApis } from "@/lib/events/ingest-events";
import { MAX_BATCH } from "@/lib/events/schemas";
import { quotedText } from "@/lib/input/text";
import { TimeSlice } from "@/lib/runtime/event-loop";
import { CUT, NOT_KEPT, sourceApi, toEvent } from "@/lib/traffic/ingest-traffic";
import { readRecord } from "@/lib/traffic/profiles";
import type { Profile } from "@/lib/traffic/schemas";

// What a source's quarantine is for: records that could not be read are kept with the reason, so an
// admin can see them, read them again once what stopped them is fixed (a gateway clock that ran ahead, a
// newer ApiLedger that reads more), or purge them. Each is one audited write.

const NOT_RETRIABLE = "Kept in part only (the record or the batch was too large): it cannot be read again.";

/** A kept record's JSON (always JSON: it was written by JSON.stringify), or undefined. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function sourceOf(id: unknown) {
  const source =
    typeof id === "string" && id.length <= 64 ? await db.trafficSource.findUnique({ where: { id } }) : null;
  if (!source) throw new AppError("NOT_FOUND", "That traffic source does not exist.");
  return source;
}

export type RetryResult = { retried: number; stored: number; unrouted: number; stillQuarantined: number };

/**
 * Reads the source's quarantined records again (the oldest 10,000), as its profile reads them now: those
 * it can read now leave the quarantine and are stored as events (or counted as unrouted), in one
 * transaction with one audit entry; the rest stay, with today's reason.
 */
export async function retryQuarantine(ctx: WriteContext, sourceId: string): Promise<RetryResult> {
  requirePermission(ctx.actor, "traffic:manage");
  const source = await sourceOf(sourceId);
  const kept = await db.quarantinedRecord.findMany({
    where: { sourceId: source.id },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: MAX_BATCH,
  });
  if (!kept.length) throw new AppError("VALIDATION", "The quarantine is empty.");
  const api = await sourceApi(source);
  const now = new Date();
  const events: Event[] = [];
  const read: string[] = [];
  const reasons = new Map<string, string>();
  const slice = new TimeSlice();
  for (const q of kept) {
    if (slice.due) await slice.yield();
    const record = q.record === NOT_KEPT || q.record.endsWith(CUT) ? undefined : parsed(q.record);
    const reading =
      record === undefined
        ? ({ ok: false, reason: NOT_RETRIABLE } as const)
        : readRecord(source.profile as Profile, record, now);
    if (reading.ok === true) {
      read.push(q.id);
      if (api) events.push(toEvent(reading.call, api.id));
    } else if (reading.ok === false) reasons.set(q.id, quotedText(reading.reason, 200));
    else read.push(q.id); // a record the profile now skips by design: nothing to keep
  }
  const stored = events.length;
  const unrouted = read.length - stored;
  const result: RetryResult = { retried: kept.length, stored, unrouted, stillQuarantined: reasons.size };
  const apis: EventApis = new Map(api && stored ? [[api.id, api]] : []);
  return storeAuthEvents(ctx, events, apis, {
    answer: () => result,
    targets: [{ teamId: source.teamId }],
    summaryPrefix: `Quarantine of traffic source “${source.name}” read again (${kept.length} record(s), ${reasons.size} still unreadable): `,
    details: { source: { id: source.id, quarantineRetry: result } },
    within: async (tx) => {
      await tx.quarantinedRecord.deleteMany({ where: { id: { in: read } } });
      for (const [id, reason] of reasons) await tx.quarantinedRecord.update({ where: { id }, data: { reason } });
      await tx.trafficSource.update({
        where: { id: source.id },
        data: {
          stored: { increment: stored },
          unrouted: { increment: unrouted },
          quarantined: { decrement: read.length },
        },
      });
    },
  });
}

/** Deletes every record in the source's quarantine: they stay counted as quarantined on the source. */
export async function purgeQuarantine(ctx: WriteContext, sourceId: string): Promise<{ purged: number }> {
  requirePermission(ctx.actor, "traffic:manage");
  const source = await sourceOf(sourceId);
  return authorizedWrite(ctx, { permission: "traffic:manage" }, async (tx, audit) => {
    const { count } = await tx.quarantinedRecord.deleteMany({ where: { sourceId: source.id } });
    if (!count) throw new AppError("VALIDATION", "The quarantine is empty.");
    await audit({
      action: "traffic-source.quarantine-purge",
      targetType: "traffic-source",
      targetId: source.id,
      summary: `${count} quarantined record(s) of traffic source “${source.name}” purged`,
      details: { purged: count },
    });
    return { purged: count };
  });
}
