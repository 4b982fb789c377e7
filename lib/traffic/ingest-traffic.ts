import "server-only";
import { createHash } from "node:crypto";
import type { WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { storeAuthEvents, type Event, type EventApis } from "@/lib/events/ingest-events";
import { MAX_BATCH } from "@/lib/events/schemas";
import { quotedText } from "@/lib/input/text";
import { withTrafficSlot } from "@/lib/traffic/admission";
import { compileMapping, type CompiledMapping, type ObservedCall } from "@/lib/traffic/profiles";
import { NOT_KEPT, readAll, type Keyed } from "@/lib/traffic/read-batch";
import { Discoveries, loadRouter } from "@/lib/traffic/routing";
import { KeysTaken, keepKeys, knownKeys, pruneKeys } from "@/lib/traffic/record-keys";
import { recordSourceMinute } from "@/lib/traffic/source-minutes";
import type { Profile, TTrafficResult } from "@/lib/traffic/schemas";

const MAX_REPORTED = 200;

export const NOT_A_SOURCE =
  "This token does not belong to a traffic source. Register the gateway under Traffic sources and send with the token shown then, or send ApiLedger's own event format to /api/v1/events/auth.";

/**
 * Stores a batch a traffic source sent in its own format: each record read by the source's profile.
 * A lenient source stores the good records and quarantines the bad ones with the reason (a log shipper
 * then never drops good data); a strict one refuses the whole batch when any record is bad. The
 * events, the quarantined records and the source's counters go in one transaction with one audit entry.
 * `receive` takes in the request's body (and may refuse the source's profile first); only then does the
 * batch wait for a storing slot (lib/traffic/admission.ts), where `readRecords` parses it: into records,
 * read here, or into records already read and keyed (a ReadBatch, from the OTLP reading threads).
 */
export async function ingestTraffic(
  ctx: WriteContext,
  readRecords: ReadRecords,
  receive: (profile: Profile) => Promise<unknown> = async () => undefined,
): Promise<TTrafficResult> {
  requireRolePermission(ctx.actor, "event:ingest");
  const actorId = ctx.actor.kind === "user" ? ctx.actor.id : null;
  const source = actorId ? await db.trafficSource.findUnique({ where: { serviceAccountId: actorId } }) : null;
  // Before the body is read: only a source's token gets its large limit's worth of parsing.
  if (!source) throw new AppError("FORBIDDEN", NOT_A_SOURCE);
  const profile = source.profile as Profile;
  return withTrafficSlot(
    source.id,
    () => receive(profile),
    () => readAndStore(ctx, source, profile, readRecords),
  );
}

/**
 * A batch's records, as the source's profile (and, for "any JSON", its field mapping) finds them in the
 * body; or already read as of `now`.
 */
type ReadRecords = (
  profile: Profile,
  mapping: CompiledMapping | null,
  now: Date,
) => Promise<unknown[] | ReadBatch> | unknown[] | ReadBatch;

/** A batch's records already read and keyed (lib/traffic/read-batch.ts), and how many the body held. */
export class ReadBatch {
  constructor(
    readonly received: number,
    readonly keyed: Keyed[],
  ) {}
}

async function readAndStore(
  ctx: WriteContext,
  source: Source,
  profile: Profile,
  readRecords: ReadRecords,
): Promise<TTrafficResult> {
  const mapping = compileMapping(source.mapping);
  const now = new Date();
  const read = await readRecords(profile, mapping, now);
  const received = read instanceof ReadBatch ? read.received : read.length;
  if (received === 0) throw new NoRecords();
  if (received > MAX_BATCH) throw tooMany(received);
  const readings = read instanceof ReadBatch ? read.keyed : await readAll(profile, mapping, read, now);
  // Seen before: looked up outside the transaction; the batch's new keys are then inserted in it, where
  // a batch sent twice at once is caught by the keys' primary key — the second then starts over, and
  // stores only what the first did not.
  for (let attempt = 1; ; attempt++) {
    try {
      const known = await knownKeys(db, source.id, readings);
      return await storeBatch(ctx, source, received, readings, known, now);
    } catch (error) {
      if (!(error instanceof KeysTaken)) throw error;
      if (attempt === 3)
        // 503, not 409: shippers retry a 503 after Retry-After, and drop a batch refused with a 4xx.
        throw new AppError(
          "SERVICE_UNAVAILABLE",
          "The same records are being sent at once by another request; send the batch again.",
          {},
          { retryAfter: 1 },
        );
    }
  }
}

type Source = {
  id: string;
  name: string;
  teamId: string;
  apiId: string | null;
  lenient: boolean;
  mapping: string | null;
};
/** More records than a batch may hold (400). */
export const tooMany = (received: number) =>
  new AppError(
    "VALIDATION",
    `A batch holds at most ${MAX_BATCH.toLocaleString("en-AU")} records; this one has ${received.toLocaleString("en-AU")}. Lower the shipper's batch size.`,
  );

/** A body that holds no records (400 on ApiLedger's routes; OTLP takes an empty export as done). */
export class NoRecords extends AppError {
  constructor() {
    super("VALIDATION", "The body holds no records.");
  }
}

async function storeBatch(
  ctx: WriteContext,
  source: Source,
  /** How many records the body held. */
  received: number,
  readings: Keyed[],
  known: Set<string>,
  now: Date,
): Promise<TTrafficResult> {
  const router = await loadRouter(source);
  const discovered = new Discoveries();
  const events: Event[] = [];
  const bad: { index: number; reason: string; record: string }[] = [];
  const fresh = new Set<string>();
  let unrouted = 0;
  let skipped = 0;
  let duplicates = 0;
  for (let index = 0; index < readings.length; index++) {
    const { key, reading, quarantine } = readings[index]!;
    // Sent before, or twice in this batch: counted, not stored again.
    if (known.has(key) || fresh.has(key)) {
      duplicates++;
      continue;
    }
    if (reading.ok === "skip") {
      skipped++;
      continue;
    }
    fresh.add(key);
    if (!reading.ok) {
      bad.push({ index, reason: quotedText(reading.reason, 200), record: quarantine ?? NOT_KEPT });
      continue;
    }
    const apiId = router.route(reading.call);
    if (apiId) events.push(toEvent(reading.call, apiId));
    else {
      unrouted++;
      discovered.add(reading.call);
    }
  }
  if (bad.length && !source.lenient)
    throw new AppError(
      "VALIDATION",
      `${bad.length} of ${received} records could not be read; nothing was stored (the source is strict).${bad.length > MAX_REPORTED ? ` The first ${MAX_REPORTED} are listed.` : ""}`,
      Object.fromEntries(bad.slice(0, MAX_REPORTED).map((b) => [`records[${b.index}]`, [b.reason]])),
    );

  const used = new Set(events.map((e) => e.api));
  const apis: EventApis = new Map([...router.apis].filter(([id]) => used.has(id)));
  const counts = {
    received,
    stored: events.length,
    quarantined: bad.length,
    unrouted,
    skipped,
    duplicates,
  };
  // The quarantine's rows as they will be stored, fingerprinted in the audit entry like the events are,
  // so a record edited in the table afterwards (and then read again into an event) is caught.
  const quarantine = bad.map((b) => ({ sourceId: source.id, receivedAt: now, reason: b.reason, record: b.record }));
  return storeAuthEvents(ctx, events, apis, {
    answer: (stored) => ({ ...counts, batchId: stored.batchId, alerts: stored.alerts }),
    targets: [{ teamId: source.teamId }],
    summaryPrefix: `From traffic source “${source.name}”: `,
    details: {
      source: { id: source.id, ...counts },
      ...(quarantine.length ? { quarantine: quarantineProof(quarantine) } : {}),
    },
    // The records are claimed by their keys, before anything else is stored: a key another batch kept
    // since they were looked up refuses the insert (KeysTaken), and this batch starts over.
    beside: async (tx) => {
      await keepKeys(tx, source.id, [...fresh], now);
      if (quarantine.length) await tx.quarantinedRecord.createMany({ data: quarantine });
    },
    within: async (tx) => {
      await pruneKeys(tx, source.id, now);
      await discovered.save(tx, source.teamId);
      await tx.trafficSource.update({
        where: { id: source.id },
        data: {
          lastReceivedAt: now,
          received: { increment: received },
          stored: { increment: events.length },
          quarantined: { increment: bad.length },
          unrouted: { increment: unrouted },
          duplicates: { increment: duplicates },
        },
      });
      // Every batch that gets here counts, a retry of nothing but duplicates too: the rate is what the
      // source sends, and a shipper stuck resending one batch shows as a rate with nothing stored.
      await recordSourceMinute(
        tx,
        source.id,
        { received: received, stored: events.length, quarantined: bad.length, duplicates },
        now,
      );
    },
  });
}

/** The count and SHA-256 of quarantined records' [reason, record] pairs, in order, as JSON. */
export function quarantineProof(rows: { reason: string; record: string }[]): { count: number; sha256: string } {
  const text = JSON.stringify(rows.map((r) => [r.reason, r.record]));
  return { count: rows.length, sha256: createHash("sha256").update(text).digest("hex") };
}

/** A call as the event ApiLedger stores: the route template when the gateway names one, else the path. */
export function toEvent(call: ObservedCall, apiId: string): Event {
  return {
    time: call.time.toISOString(),
    at: call.time,
    api: apiId,
    clientId: call.clientId,
    principal: call.principal,
    outcome: call.outcome,
    sourceIp: call.sourceIp,
    method: call.method,
    route: call.route || call.path,
  };
}
