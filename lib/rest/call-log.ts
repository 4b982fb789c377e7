import "server-only";
import { logError, logger } from "@/lib/log/logger";
import { createHash } from "node:crypto";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { bulkInsert } from "@/lib/audit/bulk-insert";
import { db, dbProvider } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { isFault } from "@/lib/db/fault-errors";
import { newEventBatch } from "@/lib/events/event-id";
import { onShutdown } from "@/lib/server/shutdown";

// Every REST call is logged (ISM-2015). Writing one audited transaction per GET would serialise reads
// behind the audit chain, so calls are held in memory and written in batches — a second after the
// first one waiting, or at 500 — each batch with one audit entry that counts it and carries the
// SHA-256 of its rows as stored. The token's last use is updated in the same transaction.
//
// What can be lost, and why no more (README, "REST API call log"):
// - A crash (kill -9, power loss) loses the calls not yet committed: those answered in the last second
//   and the batch being written, which waits its turn at the audit chain like every write — about
//   1 s plus one write's time (the fault suite checks this at every kill).
// - While the database is unavailable, a failed batch is kept and retried with backoff (1 s doubling
//   to 5 s, the Retry-After clients are told: one connection attempt per 5 s costs nothing, and the log
//   catches up within seconds of the database's return), never dropped; calls keep arriving in memory
//   up to MAX_HELD. Past it new calls are only counted, and the next batch's audit entry says how many
//   went unlogged. A crash during an outage loses what is held.
// - A graceful stop writes everything held (onShutdown) before the process exits.
export type ApiCall = {
  at: Date;
  tokenId: string | null;
  userId: string | null;
  method: string;
  route: string;
  status: number;
  ip: string;
  durationMs: number;
};

const FLUSH_MS = 1000;
const FLUSH_AT = 500;
/** Largest batch: what piles up during an outage is written in few transactions afterwards. */
const BATCH_MAX = 2000;
export const MAX_HELD = 50_000;
const BACKOFF_MS = { first: 1000, max: 5000 };
/** A batch that fails for a reason other than a fault (a bug, bad data) is tried this often, then given up. */
const MAX_ATTEMPTS_NOT_FAULT = 3;

// Row ids are made like event ids (lib/events/event-id.ts): they sort by arrival and carry the batch,
// whose id is the targetId of the batch's audit entry, and they are fixed before the first attempt.
type Batch = { batchId: string; ids: string[]; calls: ApiCall[]; attempts: number };
type State = {
  open: ApiCall[];
  queue: Batch[];
  held: number;
  dropped: number;
  failures: number;
  retryAt: number;
  timer: NodeJS.Timeout | null;
  writing: Promise<void> | null;
};

// On globalThis: Next can load this module more than once, and every copy must share one buffer (and
// the one shutdown task must flush all of it).
const g = globalThis as unknown as { apiledgerCallLog?: State };
const state = (): State =>
  (g.apiledgerCallLog ??= {
    open: [],
    queue: [],
    held: 0,
    dropped: 0,
    failures: 0,
    retryAt: 0,
    timer: null,
    writing: null,
  });

onShutdown("api-call-log", async () => {
  await flushApiCalls();
  const s = state();
  if (s.held)
    logger().error({ held: s.held }, "REST API calls could not be logged before the stop (database unavailable)");
});

export function recordApiCall(call: ApiCall): void {
  const s = state();
  if (s.held >= MAX_HELD) {
    if (s.dropped++ === 0)
      logger().error(
        { held: MAX_HELD },
        "REST API calls are waiting to be logged; further calls are counted but not logged until the database is back",
      );
    return;
  }
  s.open.push(call);
  s.held++;
  // A call that succeeded read the database, so it is back: write what the outage held now rather than
  // at the end of the backoff, or a crash in the next seconds would lose it.
  const recovered = s.retryAt > 0 && call.status < 400;
  if (recovered) s.retryAt = 0;
  if (recovered || s.open.length >= FLUSH_AT) void drain();
  else s.timer ??= setTimeout(() => void drain(), FLUSH_MS);
}

/** Writes everything held now, ignoring any backoff (tests and the shutdown use it); resolves when done or failed. */
export async function flushApiCalls(): Promise<void> {
  const s = state();
  await s.writing;
  s.retryAt = 0;
  await drain();
}

/** The number of calls held in memory, not yet committed. */
export function heldApiCalls(): number {
  return state().held;
}

/** One writer at a time, in order: batch after batch until nothing is held or a write fails. */
function drain(): Promise<void> {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  if (s.writing) return s.writing;
  // In a backoff: come back when it ends. Returning with no timer would leave what is held unwritten until
  // some later call — and a retry timer can fire a millisecond before Date.now() reaches retryAt.
  const wait = s.retryAt - Date.now();
  if (wait > 0) {
    s.timer = setTimeout(() => void drain(), wait);
    return Promise.resolve();
  }
  s.writing = (async () => {
    try {
      for (;;) {
        while (s.open.length) {
          const calls = s.open.splice(0, BATCH_MAX);
          s.queue.push({ ...newEventBatch(calls.length, new Date()), calls, attempts: 0 });
        }
        const batch = s.queue[0];
        if (!batch) return;
        const outcome = await writeOnce(batch, s.dropped);
        if (outcome === "retry") return scheduleRetry(s);
        s.queue.shift();
        s.held -= batch.calls.length;
        s.failures = 0;
        s.retryAt = 0;
        if (outcome === "given-up") s.dropped += batch.calls.length;
        else s.dropped -= outcome.reportedDropped;
      }
    } finally {
      s.writing = null;
    }
  })();
  return s.writing;
}

function scheduleRetry(s: State): void {
  const delay = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** s.failures++);
  s.retryAt = Date.now() + delay;
  s.timer = setTimeout(() => void drain(), delay);
}

async function writeOnce(batch: Batch, dropped: number): Promise<{ reportedDropped: number } | "retry" | "given-up"> {
  batch.attempts++;
  try {
    await writeBatch(batch, dropped);
    return { reportedDropped: dropped };
  } catch (error) {
    // A connection lost during COMMIT leaves it unknown whether the batch was stored; its row ids are
    // fixed, so a retry of a stored batch fails on them — either way, look before writing it again.
    if (await isStored(batch)) return { reportedDropped: dropped };
    if (isFault(error) || (isAppError(error) && error.code === "CONFLICT")) {
      if (batch.attempts === 1)
        logger().warn(
          { calls: batch.calls.length, reason: error instanceof Error ? error.message : String(error) },
          "REST API call log: calls held for a retry",
        );
      return "retry";
    }
    if (batch.attempts < MAX_ATTEMPTS_NOT_FAULT) return "retry";
    // Not the database being away but something about these rows: keep them in the server log rather
    // than blocking every later batch behind them.
    logError("REST API call log: gave up on calls", error, { attempts: batch.attempts, calls: batch.calls });
    return "given-up";
  }
}

async function isStored(batch: Batch): Promise<boolean> {
  try {
    return (await db.apiCallLog.findUnique({ where: { id: batch.ids[0]! }, select: { id: true } })) !== null;
  } catch {
    return false;
  }
}

/**
 * The batch's rows as stored, in id order, each as [id, at (ISO 8601 UTC), tokenId, userId, method,
 * route, status, ip, durationMs]: its audit entry's sha256 is of these as JSON, so it can be recomputed
 * from the ApiCallLog table.
 */
export function callRows(batch: { ids: string[]; calls: ApiCall[] }): (string | number | null)[][] {
  return batch.calls.map((c, i) => [
    batch.ids[i]!,
    c.at.toISOString(),
    c.tokenId,
    c.userId,
    c.method,
    c.route,
    c.status,
    c.ip,
    c.durationMs,
  ]);
}

async function writeBatch(batch: Batch, dropped: number): Promise<void> {
  const { batchId, ids, calls } = batch;
  const sha256 = createHash("sha256")
    .update(JSON.stringify(callRows(batch)))
    .digest("hex");
  await authorizedWrite(
    { actor: { kind: "system", id: null, email: "api-call-log" } },
    { permission: "api:record-call" },
    async (tx, audit) => {
      await bulkInsert(
        tx,
        dbProvider(),
        "ApiCallLog",
        calls.map((c, i) => ({ id: ids[i]!, ...c })),
      );
      const lastUse = new Map<string, ApiCall>();
      for (const c of calls) if (c.tokenId && c.status < 400) lastUse.set(c.tokenId, c);
      for (const [tokenId, c] of lastUse)
        await tx.apiToken.updateMany({ where: { id: tokenId }, data: { lastUsedAt: c.at, lastUsedIp: c.ip } });
      const unlogged = dropped ? `; ${dropped} earlier call(s) could not be logged` : "";
      await audit({
        action: "rest.calls",
        targetType: "api-call-log",
        targetId: batchId,
        summary: `${calls.length} REST API call(s) logged${unlogged}`,
        details: {
          batchId,
          count: calls.length,
          from: calls[0]!.at.toISOString(),
          to: calls[calls.length - 1]!.at.toISOString(),
          failed: calls.filter((c) => c.status >= 400).length,
          sha256,
          ...(dropped ? { unlogged: dropped } : {}),
        },
      });
    },
  );
}
