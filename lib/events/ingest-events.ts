import "server-only";
import { metrics } from "@/lib/metrics/registry";
import { recordObservedAccess } from "@/lib/observed/record-access";
import { createHash } from "node:crypto";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { bulkInsertColumns, type ColumnType } from "@/lib/audit/bulk-insert";
import { requireRolePermission, type Target } from "@/lib/authz/policy";
import { db, dbProvider } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { textProblem } from "@/lib/input/text";
import { MAX_BATCH, ZAuthEvent, type TAuthEvent } from "@/lib/events/schemas";
import { FAILURES } from "@/lib/events/outcomes";
import { raiseAlerts } from "@/lib/events/raise-alerts";
import { newEventBatch } from "@/lib/events/event-id";
import { TimeSlice, yieldToEventLoop } from "@/lib/runtime/event-loop";
import type { IngestResult } from "@/lib/events/event-view";

/** How far in the future an event's time may be (gateway clocks drift a little). */
const FUTURE_SKEW_MS = 5 * 60_000;
const MAX_REPORTED = 200;
/** Rows serialised for the batch's fingerprint at a time (about 1 ms of work each). */
const HASH_ROWS = 100;
export const EVENT_COLUMNS: [string, ColumnType][] = [
  ["id", "text"],
  ["at", "timestamp"],
  ["apiId", "text"],
  ["clientId", "text"],
  ["principal", "text"],
  ["outcome", "text"],
  ["sourceIp", "text"],
  ["method", "text"],
  ["route", "text"],
];
/** A checked event: its time parsed, its text refused if it holds what no column should. */
export type Event = TAuthEvent & { at: Date };

/**
 * Stores a batch of authentication events, whole or not at all: every event is checked first, and a
 * batch with any bad event is refused with the index and reason of each (the first 200). An accepted
 * batch goes in one transaction with one audit entry; it also advances the "last seen" of the API's
 * clients and raises failed-authentication alerts. Retries are made safe by the route's Idempotency-Key.
 */
export async function ingestAuthEvents(ctx: WriteContext, raw: unknown): Promise<IngestResult> {
  requireRolePermission(ctx.actor, "event:ingest");
  if (!Array.isArray(raw))
    throw new AppError(
      "VALIDATION",
      'Send the events as a JSON array, {"events": […]}, or NDJSON (one event per line).',
    );
  if (raw.length === 0) throw new AppError("VALIDATION", "The batch is empty.");
  if (raw.length > MAX_BATCH)
    throw new AppError(
      "VALIDATION",
      `A batch holds at most ${MAX_BATCH.toLocaleString("en-AU")} events; this one has ${raw.length.toLocaleString("en-AU")}. Split it.`,
    );
  const now = Date.now();
  const errors: Record<string, string[]> = {};
  let bad = 0;
  const report = (index: number, messages: string[]) => {
    bad++;
    if (Object.keys(errors).length < MAX_REPORTED) errors[`events[${index}]`] = messages;
  };
  // One pass, no copies: this loop runs 10,000 times per batch and its cost bounds the ingestion rate.
  const events: Event[] = [];
  const slice = new TimeSlice();
  for (let index = 0; index < raw.length; index++) {
    if (slice.due) await slice.yield();
    const parsed = ZAuthEvent.safeParse(raw[index]);
    if (!parsed.success) {
      report(
        index,
        parsed.error.issues.map((i) =>
          i.code === "unrecognized_keys"
            ? `unknown field${i.keys.length > 1 ? "s" : ""}: ${i.keys.join(", ")}`
            : i.message,
        ),
      );
      continue;
    }
    const event = parsed.data as Event;
    event.at = new Date(event.time);
    if (event.at.getTime() > now + FUTURE_SKEW_MS) report(index, ["time is in the future."]);
    // The outside-text rule (lib/input/text.ts), refusing only: events are stored as the gateway sent
    // them (no NFC), since they record what another system said. PostgreSQL cannot hold NUL, and a lone
    // surrogate would be stored as U+FFFD under a fingerprint of the original.
    else {
      const problems = textProblems(event);
      if (problems.length) report(index, problems);
      else events.push(event);
    }
  }
  const apiIds = [...new Set(events.map((e) => e.api))];
  const apis = new Map(
    (
      await db.api.findMany({
        where: { id: { in: apiIds }, deletedAt: null },
        select: { id: true, ownerId: true, teamId: true },
      })
    ).map((a) => [a.id, a]),
  );
  raw.forEach((item, index) => {
    const api = (item as { api?: unknown })?.api;
    if (typeof api === "string" && !apis.has(api) && !errors[`events[${index}]`])
      report(index, [`api: no API has the id “${api.slice(0, 64)}”.`]);
  });
  if (bad)
    throw new AppError(
      "VALIDATION",
      `${bad} of ${raw.length} events are not valid; nothing was stored.${bad > MAX_REPORTED ? ` The first ${MAX_REPORTED} are listed.` : ""}`,
      errors,
    );

  return storeAuthEvents(ctx, events, apis, { answer: (stored) => stored });
}

/** The APIs a batch's events are for, by id, with what the policy looks at. */
export type EventApis = Map<string, { id: string; ownerId: string | null; teamId: string | null }>;

/** What a caller adds to the batch's transaction and audit entry (a traffic source's counters, say). */
export type StoreExtras<T> = {
  /**
   * The answer, made in the transaction from the stored batch: what an Idempotency-Key's retry gets
   * back, so it must be the whole answer.
   */
  answer: (stored: IngestResult) => T;
  /** Objects the actor must also be allowed to ingest for (a traffic source's team). */
  targets?: Target[];
  /**
   * Runs first in the transaction, before the batch's turn (TakeTurn says what may be done there): the
   * place to claim what the batch stores, refusing it if another batch has.
   */
  beside?: (tx: Tx) => Promise<void>;
  /** Runs in the same transaction, in the batch's turn, after the events are stored. */
  within?: (tx: Tx) => Promise<void>;
  /** Said before the entry's own summary ("From NGINX edge: "). */
  summaryPrefix?: string;
  details?: Record<string, unknown>;
};

/**
 * Stores checked events (each for an API in `apis`) in one transaction with one audit entry: advances
 * the "last seen" of the APIs' clients and raises failed-authentication alerts.
 */
export async function storeAuthEvents<T>(
  ctx: WriteContext,
  events: Event[],
  apis: EventApis,
  extras: StoreExtras<T>,
): Promise<T> {
  const slice = new TimeSlice();
  const { batchId, ids } = newEventBatch(events.length, new Date());
  const rows = events.map((e, i) => [
    ids[i]!,
    utcTime(e),
    e.api,
    e.clientId,
    e.principal,
    e.outcome,
    e.sourceIp,
    e.method.toUpperCase(),
    e.route,
  ]);
  // The batch's fingerprint in its audit entry is of exactly these rows (the fields of an evidence
  // bundle's data/auth-events.json, in id order), so the events in a bundle can be checked against the
  // entry that recorded their arrival.
  // Hashed slice by slice (the same bytes as JSON.stringify(rows)), handing the event loop back between
  // slices; PostgreSQL's COPY does without the text, SQLite's insert makes its own per slice.
  const hash = createHash("sha256").update("[");
  for (let i = 0; i < rows.length; i += HASH_ROWS) {
    const text = JSON.stringify(rows.slice(i, i + HASH_ROWS));
    hash.update(i ? "," : "").update(text.slice(1, -1));
    if (slice.due) await slice.yield();
  }
  const sha256 = hash.update("]").digest("hex");
  const stored = await authorizedWrite(
    ctx,
    {
      permission: "event:ingest",
      loadTarget: async () => [
        ...(extras.targets ?? []),
        ...[...apis.values()].map((a) => ({ ownerId: a.ownerId, teamId: a.teamId })),
      ],
      // Batches go in side by side on PostgreSQL: their new rows (the caller's claim, the events) before
      // their turn; what many batches add to (last seen, observed access, daily totals, alerts, the
      // caller's counters) and the audit entry in it — a row every batch updates would otherwise be held
      // by one batch until it commits, and the others would queue there instead.
      alongside: true,
    },
    async (tx, audit, takeTurn) => {
      // On SQLite every statement runs on the server's own thread, and awaiting one resolves without
      // letting other requests in: the loop is handed back between the steps, so no step's cost adds to
      // the next in one stretch (/api/health within 200 ms while the largest batch goes in, measured in
      // lib/rest/bodies.load.ts).
      await extras.beside?.(tx);
      if (rows.length) await bulkInsertColumns(tx, dbProvider(), "AuthEvent", EVENT_COLUMNS, rows);
      await takeTurn();
      await yieldToEventLoop();
      await advanceLastSeen(tx, events);
      await yieldToEventLoop();
      await recordObservedAccess(tx, events);
      await yieldToEventLoop();
      const failed = events.filter((e) => FAILURES.includes(e.outcome));
      const alerts = await raiseAlerts(tx, failed);
      await yieldToEventLoop();
      const failures = failed.length;
      await extras.within?.(tx);
      await audit({
        action: "events.ingest",
        targetType: "auth-events",
        targetId: batchId,
        summary: `${extras.summaryPrefix ?? ""}${events.length} authentication event(s) received for ${apis.size} API(s): ${failures} failure(s)${alerts ? `, ${alerts} alert(s) raised` : ""}`,
        // The caller's details first: the batch's own fields (its sha256 above all) are never overwritten.
        details: {
          ...extras.details,
          batchId,
          count: events.length,
          apis: [...apis.keys()].sort(),
          failures,
          alerts,
          sha256,
        },
      });
      return extras.answer({ accepted: events.length, batchId, alerts });
    },
  );
  // Counted once committed (an idempotent replay answers from its record and does not get here).
  metrics().eventsStored.inc(events.length);
  return stored;
}

const TEXT_FIELDS = ["api", "clientId", "principal", "method", "route"] as const;

function textProblems(e: Event): string[] {
  const problems: string[] = [];
  for (const field of TEXT_FIELDS) {
    const problem = textProblem(e[field]);
    if (problem) problems.push(`${field} ${problem}.`);
  }
  return problems;
}

/** The event's time as ISO 8601 UTC; most gateways already send it so, which saves reformatting 10,000 dates. */
function utcTime(e: Event): string {
  // The schema accepted it as an ISO date-time, so 24 characters ending in Z is exactly this form.
  return e.time.length === 24 && e.time.endsWith("Z") ? e.time : e.at.toISOString();
}

/** A client that authenticated successfully was seen: its "last seen" (used by the access reviews) moves forward. */
async function advanceLastSeen(tx: Tx, events: Event[]): Promise<void> {
  const latest = new Map<string, Date>();
  for (const e of events) {
    if (e.outcome !== "success" || !e.clientId) continue;
    const key = `${e.api}\u0000${e.clientId}`;
    const seen = latest.get(key);
    if (!seen || e.at > seen) latest.set(key, e.at);
  }
  if (!latest.size) return;
  // Gateways report many client ids that are not recorded grants; only recorded clients are updated.
  const known = await tx.apiClient.findMany({
    where: { apiId: { in: [...new Set(events.map((e) => e.api))] } },
    select: { id: true, apiId: true, name: true, lastSeenAt: true },
  });
  for (const c of known) {
    const at = latest.get(`${c.apiId}\u0000${c.name}`);
    if (at && (!c.lastSeenAt || c.lastSeenAt < at))
      await tx.apiClient.update({ where: { id: c.id }, data: { lastSeenAt: at } });
  }
}
