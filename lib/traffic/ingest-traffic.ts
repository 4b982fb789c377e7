import "server-only";
import type { WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { storeAuthEvents, type Event, type EventApis } from "@/lib/events/ingest-events";
import { MAX_BATCH } from "@/lib/events/schemas";
import { TimeSlice } from "@/lib/runtime/event-loop";
import { cutText, quotedText } from "@/lib/input/text";
import { readRecord, recordsOf, type ObservedCall } from "@/lib/traffic/profiles";
import type { Profile, TTrafficResult } from "@/lib/traffic/schemas";

/** A quarantined record is kept as sent up to this many characters of JSON. */
export const QUARANTINE_RECORD_CHARS = 16_384;
/**
 * What one batch may put in the quarantine in all: a 32 MB body of 10,000 bad records must not become
 * 160 MB of rows. Past it, the reasons are kept and the records' text is not.
 */
export const QUARANTINE_BATCH_CHARS = 4 * 1024 * 1024;
const MAX_REPORTED = 200;

export const NOT_A_SOURCE =
  "This token does not belong to a traffic source. Register the gateway under Traffic sources and send with the token shown then, or send ApiLedger's own event format to /api/v1/events/auth.";

/**
 * Stores a batch a traffic source sent in its own format: each record read by the source's profile.
 * A lenient source stores the good records and quarantines the bad ones with the reason (a log shipper
 * then never drops good data); a strict one refuses the whole batch when any record is bad. The
 * events, the quarantined records and the source's counters go in one transaction with one audit entry.
 */
export async function ingestTraffic(
  ctx: WriteContext,
  readBody: () => Promise<unknown> | unknown,
): Promise<TTrafficResult> {
  requireRolePermission(ctx.actor, "event:ingest");
  const actorId = ctx.actor.kind === "user" ? ctx.actor.id : null;
  const source = actorId ? await db.trafficSource.findUnique({ where: { serviceAccountId: actorId } }) : null;
  // Before the body is read: only a source's token gets its large limit's worth of parsing.
  if (!source) throw new AppError("FORBIDDEN", NOT_A_SOURCE);
  const profile = source.profile as Profile;
  const records = recordsOf(profile, await readBody());
  if (records.length === 0) throw new AppError("VALIDATION", "The body holds no records.");
  if (records.length > MAX_BATCH)
    throw new AppError(
      "VALIDATION",
      `A batch holds at most ${MAX_BATCH.toLocaleString("en-AU")} records; this one has ${records.length.toLocaleString("en-AU")}. Lower the shipper's batch size.`,
    );
  // Until routing rules: the source's own API, while it is in the source's team.
  const api = source.apiId
    ? await db.api.findFirst({
        where: { id: source.apiId, teamId: source.teamId, deletedAt: null },
        select: { id: true, ownerId: true, teamId: true },
      })
    : null;

  const now = new Date();
  const events: Event[] = [];
  const bad: { index: number; reason: string; record: unknown }[] = [];
  let unrouted = 0;
  let skipped = 0;
  const slice = new TimeSlice();
  for (let index = 0; index < records.length; index++) {
    if (slice.due) await slice.yield();
    const reading = readRecord(profile, records[index], now);
    if (reading.ok === "skip") skipped++;
    else if (!reading.ok) bad.push({ index, reason: quotedText(reading.reason, 200), record: records[index] });
    else if (!api) unrouted++;
    else events.push(toEvent(reading.call, api.id));
  }
  if (bad.length && !source.lenient)
    throw new AppError(
      "VALIDATION",
      `${bad.length} of ${records.length} records could not be read; nothing was stored (the source is strict).${bad.length > MAX_REPORTED ? ` The first ${MAX_REPORTED} are listed.` : ""}`,
      Object.fromEntries(bad.slice(0, MAX_REPORTED).map((b) => [`records[${b.index}]`, [b.reason]])),
    );

  const apis: EventApis = new Map(api && events.length ? [[api.id, api]] : []);
  const counts = { received: records.length, stored: events.length, quarantined: bad.length, unrouted, skipped };
  return storeAuthEvents(ctx, events, apis, {
    answer: (stored) => ({ ...counts, batchId: stored.batchId, alerts: stored.alerts }),
    targets: [{ teamId: source.teamId }],
    summaryPrefix: `From traffic source “${source.name}”: `,
    details: { source: { id: source.id, ...counts } },
    within: async (tx) => {
      let budget = QUARANTINE_BATCH_CHARS;
      if (bad.length)
        await tx.quarantinedRecord.createMany({
          data: bad.map((b) => {
            const record = budget > 0 ? quarantineText(b.record) : NOT_KEPT;
            budget -= record.length;
            return { sourceId: source.id, receivedAt: now, reason: b.reason, record };
          }),
        });
      await tx.trafficSource.update({
        where: { id: source.id },
        data: {
          lastReceivedAt: now,
          received: { increment: records.length },
          stored: { increment: events.length },
          quarantined: { increment: bad.length },
          unrouted: { increment: unrouted },
        },
      });
    },
  });
}

/** A call as the event ApiLedger stores: the route template when the gateway names one, else the path. */
function toEvent(call: ObservedCall, apiId: string): Event {
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

const NOT_KEPT = "(not kept: the batch's quarantine was full)";
/** Request headers that carry credentials (Kong's http-log sends every header): never kept. */
const CREDENTIALS = /^(authorization|proxy-authorization|cookie|set-cookie|apikey|api-key|x-api-key|x-auth-token)$/i;
const redactCredentials = (key: string, value: unknown) =>
  CREDENTIALS.test(key) && value !== null && value !== "" ? "[redacted]" : value;

/**
 * The record as JSON, cut to its limit: a line that was not JSON (lib/rest/parse-body.ts,
 * unreadableLine) as a JSON string of its text. JSON.stringify escapes what a column must not hold
 * (NUL, a lone surrogate), so the text is stored as it is on both databases.
 */
function quarantineText(record: unknown): string {
  const line = (record as { __text?: unknown } | null)?.__text;
  const text = JSON.stringify(typeof line === "string" ? line : record, redactCredentials) ?? "null";
  return text.length <= QUARANTINE_RECORD_CHARS ? text : `${cutText(text, QUARANTINE_RECORD_CHARS)}… (cut)`;
}
