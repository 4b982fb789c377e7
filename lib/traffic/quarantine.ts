import "server-only";
import { recordSourceMinute } from "@/lib/traffic/source-minutes";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requirePermission } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { storeAuthEvents, type Event, type EventApis } from "@/lib/events/ingest-events";
import { MAX_BATCH } from "@/lib/events/schemas";
import { quotedText } from "@/lib/input/text";
import { TimeSlice } from "@/lib/runtime/event-loop";
import { quarantineProof, toEvent } from "@/lib/traffic/ingest-traffic";
import { CUT, NOT_KEPT } from "@/lib/traffic/read-batch";
import { Discoveries, loadRouter } from "@/lib/traffic/routing";
import { compileMapping, readRecord } from "@/lib/traffic/profiles";
import type { Profile } from "@/lib/traffic/schemas";

// What a source's quarantine is for: records that could not be read are kept with the reason, so an
// admin can see them, read them again once what stopped them is fixed (a gateway clock that ran ahead, a
// newer ApiLedger that reads more), or purge them. Each is one audited write.

const NOT_RETRIABLE = "The record as kept is not JSON: it cannot be read again.";

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

/** Records kept only in part (a record or a batch too large) are shown but cannot be read again. */
const RETRIABLE = { NOT: [{ record: NOT_KEPT }, { record: { endsWith: CUT } }] };

/**
 * Reads the source's quarantined records again (the oldest 10,000 that were kept whole), as its profile
 * reads them now: those it can read now leave the quarantine and are stored as events (or counted as
 * unrouted), in one transaction with one audit entry that names them and fingerprints their text; the
 * rest stay, with today's reason. Two at once, or one racing a purge: the later one stores nothing.
 */
export async function retryQuarantine(ctx: WriteContext, sourceId: string): Promise<RetryResult> {
  requirePermission(ctx.actor, "traffic:manage");
  const source = await sourceOf(sourceId);
  const kept = await db.quarantinedRecord.findMany({
    where: { sourceId: source.id, ...RETRIABLE },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: MAX_BATCH,
  });
  if (!kept.length)
    throw new AppError(
      "VALIDATION",
      "Nothing in the quarantine can be read again: it is empty, or holds only records kept in part.",
    );
  const router = await loadRouter(source);
  // Read as the source's mapping reads now: a mapping corrected after the records arrived recovers them.
  const mapping = compileMapping(source.mapping);
  const discovered = new Discoveries();
  const now = new Date();
  const events: Event[] = [];
  const leaving: typeof kept = [];
  const reasons = new Map<string, string>();
  let unrouted = 0;
  const slice = new TimeSlice();
  for (const q of kept) {
    if (slice.due) await slice.yield();
    const record = parsed(q.record);
    const reading =
      record === undefined
        ? ({ ok: false, reason: NOT_RETRIABLE } as const)
        : readRecord(source.profile as Profile, record, now, mapping);
    if (reading.ok === false) {
      reasons.set(q.id, quotedText(reading.reason, 200));
      continue;
    }
    leaving.push(q);
    // A record the profile now skips by design leaves the quarantine and is not counted as a call.
    if (reading.ok === "skip") continue;
    const apiId = router.route(reading.call);
    if (apiId) events.push(toEvent(reading.call, apiId));
    else {
      unrouted++;
      discovered.add(reading.call);
    }
  }
  const result: RetryResult = {
    retried: kept.length,
    stored: events.length,
    unrouted,
    stillQuarantined: reasons.size,
  };
  const used = new Set(events.map((e) => e.api));
  const apis: EventApis = new Map([...router.apis].filter(([id]) => used.has(id)));
  return storeAuthEvents(ctx, events, apis, {
    answer: () => result,
    targets: [{ teamId: source.teamId }],
    summaryPrefix: `Quarantine of traffic source “${source.name}” read again (${kept.length} record(s), ${reasons.size} still unreadable): `,
    details: {
      source: { id: source.id, quarantineRetry: result },
      // What left the quarantine, so the events can be traced to the records an ingest entry fingerprinted.
      readAgain: { ids: leaving.map((q) => q.id), ...quarantineProof(leaving) },
    },
    // The records are claimed by deleting them: if another retry or a purge took any first, store nothing.
    beside: async (tx) => {
      const { count } = await tx.quarantinedRecord.deleteMany({
        where: { sourceId: source.id, id: { in: leaving.map((q) => q.id) } },
      });
      if (count !== leaving.length) throw CHANGED;
    },
    within: async (tx) => {
      for (const [id, reason] of reasons) {
        const updated = await tx.quarantinedRecord.updateMany({ where: { id }, data: { reason } });
        if (updated.count !== 1) throw CHANGED;
      }
      await discovered.save(tx, source.teamId);
      await tx.trafficSource.update({
        where: { id: source.id },
        data: {
          stored: { increment: events.length },
          unrouted: { increment: unrouted },
          quarantined: { decrement: leaving.length },
        },
      });
      // Stored now, in this minute's rate: nothing new was received, and the minute the records arrived
      // in keeps its quarantined count (what the source sent then).
      if (events.length)
        await recordSourceMinute(
          tx,
          source.id,
          { received: 0, stored: events.length, quarantined: 0, duplicates: 0 },
          now,
        );
    },
  });
}

const CHANGED = new AppError(
  "CONFLICT",
  "The quarantine changed while it was read (another admin read it again or purged it). Nothing was stored; look again.",
);

/** Deletes the source's quarantined records, the oldest 10,000: they stay counted as quarantined on the source. */
export async function purgeQuarantine(ctx: WriteContext, sourceId: string): Promise<{ purged: number; left: number }> {
  requirePermission(ctx.actor, "traffic:manage");
  const source = await sourceOf(sourceId);
  return authorizedWrite(ctx, { permission: "traffic:manage" }, async (tx, audit) => {
    // What is purged is named and fingerprinted in the entry, as what arrived was in the ingest's.
    // The oldest 10,000 at a time: one entry names every record it deleted.
    const purged = await tx.quarantinedRecord.findMany({
      where: { sourceId: source.id },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      select: { id: true, reason: true, record: true },
      take: MAX_BATCH,
    });
    if (!purged.length) throw new AppError("VALIDATION", "The quarantine is empty.");
    const { count } = await tx.quarantinedRecord.deleteMany({ where: { id: { in: purged.map((q) => q.id) } } });
    await audit({
      action: "traffic-source.quarantine-purge",
      targetType: "traffic-source",
      targetId: source.id,
      summary: `${count} quarantined record(s) of traffic source “${source.name}” purged`,
      details: { purged: { ids: purged.map((q) => q.id), ...quarantineProof(purged) } },
    });
    return { purged: count, left: await tx.quarantinedRecord.count({ where: { sourceId: source.id } }) };
  });
}
