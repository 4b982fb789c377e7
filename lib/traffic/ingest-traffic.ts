import "server-only";
import { createHash } from "node:crypto";
import type { WriteContext } from "@/lib/audit/authorized-write";
import { bulkInsertColumns } from "@/lib/audit/bulk-insert";
import { requireRolePermission } from "@/lib/authz/policy";
import { db, dbProvider, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { storeAuthEvents, type Event, type EventApis } from "@/lib/events/ingest-events";
import { MAX_BATCH } from "@/lib/events/schemas";
import { TimeSlice } from "@/lib/runtime/event-loop";
import { cutText, quotedText } from "@/lib/input/text";
import { withTrafficSlot } from "@/lib/traffic/admission";
import { unreadableOf } from "@/lib/input/unreadable";
import {
  compileMapping,
  readRecord,
  type CompiledMapping,
  type ObservedCall,
  type Reading,
} from "@/lib/traffic/profiles";
import { Discoveries, loadRouter } from "@/lib/traffic/routing";
import { recordSourceMinute } from "@/lib/traffic/source-minutes";
import type { Profile, TTrafficResult } from "@/lib/traffic/schemas";

/** A quarantined record is kept as sent up to this many characters of JSON. */
export const QUARANTINE_RECORD_CHARS = 16_384;
/**
 * What one batch may put in the quarantine in all: a 32 MB body of 10,000 bad records must not become
 * 160 MB of rows. Past it, the reasons are kept and the records' text is not.
 */
export const QUARANTINE_BATCH_CHARS = 4 * 1024 * 1024;
const MAX_REPORTED = 200;
/**
 * How long a record's key is kept after the day it arrived: a shipper's retry within it stores nothing
 * twice (Fluent Bit, Vector and the Collector retry within minutes to hours).
 */
export const TRAFFIC_KEY_DAYS = 7;
/** Keys looked up per query: within every database's limit on bound values. */
const KEYS_PER_QUERY = 5000;

export const NOT_A_SOURCE =
  "This token does not belong to a traffic source. Register the gateway under Traffic sources and send with the token shown then, or send ApiLedger's own event format to /api/v1/events/auth.";

/**
 * Stores a batch a traffic source sent in its own format: each record read by the source's profile.
 * A lenient source stores the good records and quarantines the bad ones with the reason (a log shipper
 * then never drops good data); a strict one refuses the whole batch when any record is bad. The
 * events, the quarantined records and the source's counters go in one transaction with one audit entry.
 * `receive` takes in the request's body (and may refuse the source's profile first); only then does the
 * batch wait for a storing slot (lib/traffic/admission.ts), where `readRecords` parses it.
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

/** A batch's records, as the source's profile (and, for "any JSON", its field mapping) finds them in the body. */
type ReadRecords = (profile: Profile, mapping: CompiledMapping | null) => Promise<unknown[]> | unknown[];

async function readAndStore(
  ctx: WriteContext,
  source: Source,
  profile: Profile,
  readRecords: ReadRecords,
): Promise<TTrafficResult> {
  const mapping = compileMapping(source.mapping);
  const records = await readRecords(profile, mapping);
  if (records.length === 0) throw new NoRecords();
  if (records.length > MAX_BATCH)
    throw new AppError(
      "VALIDATION",
      `A batch holds at most ${MAX_BATCH.toLocaleString("en-AU")} records; this one has ${records.length.toLocaleString("en-AU")}. Lower the shipper's batch size.`,
    );
  const now = new Date();
  const readings = await readAll(profile, mapping, records, now);
  // Seen before: looked up outside the transaction, and again inside it (below), where a batch sent twice
  // at once is caught — the second then starts over, and stores only what the first did not.
  for (let attempt = 1; ; attempt++) {
    try {
      const mark = await receivedSoFar(db, source.id);
      const known = await knownKeys(db, source.id, new Set(readings.map((r) => r.key)));
      return await storeBatch(ctx, source, records, readings, known, now, mark);
    } catch (error) {
      if (!(error instanceof SentMeanwhile)) throw error;
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
/**
 * A record's reading and its key: 128 bits of the SHA-256 of the record as sent. Not of the source's
 * request id alone: some gateways log the caller's own X-Request-Id header (Traefik, Envoy for internal
 * callers), and an attacker repeating one id would have every failed attempt after the first dropped as
 * a retry. A gateway-made id (NGINX $request_id) in the record makes every key exact anyway.
 */
type Keyed = { key: string; reading: Reading };

/** Each record read by the profile, with its de-duplication key. */
async function readAll(
  profile: Profile,
  mapping: CompiledMapping | null,
  records: unknown[],
  now: Date,
): Promise<Keyed[]> {
  const readings: Keyed[] = [];
  const repeats = new Map<string, number>();
  const slice = new TimeSlice();
  for (const record of records) {
    if (slice.due) await slice.yield();
    const reading = readRecord(profile, record, now, mapping);
    // Identical records in one batch are separate calls (two in the same second, in a log whose time has
    // seconds): each is told apart by how many came before it, which a retry of the batch repeats. Across
    // batches, an identical record is taken for a retry.
    const json = recordJson(record);
    const seen = repeats.get(json) ?? 0;
    repeats.set(json, seen + 1);
    const key = createHash("sha256").update(`${seen}:`).update(json).digest("hex").slice(0, 32);
    readings.push({ key, reading });
  }
  return readings;
}

/** The keys among the batch's that the source already sent. */
async function knownKeys(client: Pick<Tx, "trafficRecordKey">, sourceId: string, unique: Set<string>) {
  const keys = [...unique];
  const known = new Set<string>();
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
    const found = await client.trafficRecordKey.findMany({
      where: { sourceId, key: { in: keys.slice(i, i + KEYS_PER_QUERY) } },
      select: { key: true },
    });
    for (const { key } of found) known.add(key);
  }
  return known;
}

/** A body that holds no records (400 on ApiLedger's routes; OTLP takes an empty export as done). */
export class NoRecords extends AppError {
  constructor() {
    super("VALIDATION", "The body holds no records.");
  }
}

/**
 * How many records the source has sent: every stored batch adds to it in the transaction that keeps its
 * keys, so while it is unchanged no batch of the source has kept a key since it was read.
 */
async function receivedSoFar(client: Pick<Tx, "trafficSource">, sourceId: string): Promise<bigint | null> {
  const row = await client.trafficSource.findUnique({ where: { id: sourceId }, select: { received: true } });
  return row?.received ?? null;
}

/** A batch that shares records with one stored after this one looked: it starts over. */
class SentMeanwhile extends Error {}

async function storeBatch(
  ctx: WriteContext,
  source: Source,
  records: unknown[],
  readings: Keyed[],
  known: Set<string>,
  now: Date,
  /** The source's received count when `known` was looked up. */
  mark: bigint | null,
): Promise<TTrafficResult> {
  const router = await loadRouter(source);
  const discovered = new Discoveries();
  const events: Event[] = [];
  const bad: { index: number; reason: string; record: unknown }[] = [];
  const fresh = new Set<string>();
  let unrouted = 0;
  let skipped = 0;
  let duplicates = 0;
  for (let index = 0; index < readings.length; index++) {
    const { key, reading } = readings[index]!;
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
      bad.push({ index, reason: quotedText(reading.reason, 200), record: records[index] });
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
      `${bad.length} of ${records.length} records could not be read; nothing was stored (the source is strict).${bad.length > MAX_REPORTED ? ` The first ${MAX_REPORTED} are listed.` : ""}`,
      Object.fromEntries(bad.slice(0, MAX_REPORTED).map((b) => [`records[${b.index}]`, [b.reason]])),
    );

  const used = new Set(events.map((e) => e.api));
  const apis: EventApis = new Map([...router.apis].filter(([id]) => used.has(id)));
  const counts = {
    received: records.length,
    stored: events.length,
    quarantined: bad.length,
    unrouted,
    skipped,
    duplicates,
  };
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  // The quarantine's rows as they will be stored, fingerprinted in the audit entry like the events are,
  // so a record edited in the table afterwards (and then read again into an event) is caught.
  let budget = QUARANTINE_BATCH_CHARS;
  const quarantine = bad.map((b) => {
    const record = budget > 0 ? quarantineText(b.record) : NOT_KEPT;
    budget -= record.length;
    return { sourceId: source.id, receivedAt: now, reason: b.reason, record };
  });
  return storeAuthEvents(ctx, events, apis, {
    answer: (stored) => ({ ...counts, batchId: stored.batchId, alerts: stored.alerts }),
    targets: [{ teamId: source.teamId }],
    summaryPrefix: `From traffic source “${source.name}”: `,
    details: {
      source: { id: source.id, ...counts },
      ...(quarantine.length ? { quarantine: quarantineProof(quarantine) } : {}),
    },
    // Writes take turns (the audit chain's lock), so what is stored now cannot change before the commit.
    // Only when another batch of the source was stored meanwhile are the keys looked up again.
    before: async (tx) => {
      if ((await receivedSoFar(tx, source.id)) === mark) return;
      if ((await knownKeys(tx, source.id, fresh)).size) throw new SentMeanwhile();
    },
    within: async (tx) => {
      await bulkInsertColumns(
        tx,
        dbProvider(),
        "TrafficRecordKey",
        [
          ["sourceId", "text"],
          ["key", "text"],
          ["day", "timestamp"],
        ],
        [...fresh].map((key) => [source.id, key, day.toISOString()]),
      );
      await tx.trafficRecordKey.deleteMany({
        where: { sourceId: source.id, day: { lt: new Date(day.getTime() - TRAFFIC_KEY_DAYS * 86_400_000) } },
      });
      if (quarantine.length) await tx.quarantinedRecord.createMany({ data: quarantine });
      await discovered.save(tx, source.teamId);
      await tx.trafficSource.update({
        where: { id: source.id },
        data: {
          lastReceivedAt: now,
          received: { increment: records.length },
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
        { received: records.length, stored: events.length, quarantined: bad.length, duplicates },
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

/** Said after a record kept in part: it can be read, not retried. */
export const CUT = "… (cut)";
export const NOT_KEPT = "(not kept: the batch's quarantine was full)";
/** Request headers that carry credentials (Kong's http-log sends every header): never kept. */
// Also as OpenTelemetry names them (http.request.header.authorization), flat or as an attribute's {key, value}.
const CREDENTIALS =
  /(^|\.)(authorization|proxy-authorization|cookie|set-cookie|apikey|api-key|x-api-key|x-auth-token)$/i;
const redactCredentials = (key: string, value: unknown) => {
  if (CREDENTIALS.test(key) && value !== null && value !== "") return "[redacted]";
  const attribute = value as { key?: unknown; value?: unknown } | null;
  if (
    attribute &&
    typeof attribute === "object" &&
    typeof attribute.key === "string" &&
    CREDENTIALS.test(attribute.key)
  )
    return { ...attribute, value: "[redacted]" };
  return value;
};

/**
 * A record as JSON; an unreadable one (lib/input/unreadable.ts) as a JSON string of its text, or of its
 * reason when it came without text.
 */
function recordJson(record: unknown, replacer?: (key: string, value: unknown) => unknown): string {
  const bad = unreadableOf(record);
  // Without a replacer when none is asked for: V8's fast path, several times quicker on every record's key.
  const value = bad ? (bad.text ?? bad.reason) : record;
  return (replacer ? JSON.stringify(value, replacer) : JSON.stringify(value)) ?? "null";
}

/**
 * The record as JSON, cut to its limit. JSON.stringify escapes what a column must not hold (NUL, a lone
 * surrogate), so the text is stored as it is on both databases.
 */
function quarantineText(record: unknown): string {
  const text = recordJson(record, redactCredentials);
  return text.length <= QUARANTINE_RECORD_CHARS ? text : `${cutText(text, QUARANTINE_RECORD_CHARS)}${CUT}`;
}
