import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Observed } from "@/lib/observed/flags";

// Keeps ObservedAccess up to date from a batch of events, in the batch's transaction: one row per API
// and caller, merged with what the batch adds. Writes take turns (the audit chain's lock), so the read
// and the update below cannot interleave with another batch's.

type Call = { api: string; clientId: string; at: Date; outcome: string; method: string };

const READS = new Set(["GET", "HEAD", "OPTIONS"]);
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Rows read or written per statement: within every database's limit on bound values. */
const CHUNK = 500;

/** The method class of a call: reads and writes; anything else (no method recorded) is neither. */
export function methodClass(method: string): "read" | "write" | null {
  const m = method.toUpperCase();
  return READS.has(m) ? "read" : WRITES.has(m) ? "write" : null;
}

/** What is known of one API's caller: ObservedAccess's row, as it is summed up. */
export type Seen = Observed & { apiId: string };

const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/**
 * Adds `count` calls of one method and outcome, made between `first` and `last`, to a caller's summary
 * (a batch's events one at a time; the evidence bundle's grouped events a group at a time).
 */
export function addCalls(
  into: Map<string, Seen>,
  call: { api: string; clientId: string; method: string; outcome: string; first: Date; last: Date; count: number },
): void {
  const key = `${call.api}\u0000${call.clientId}`;
  let s = into.get(key);
  if (!s) {
    s = {
      apiId: call.api,
      clientId: call.clientId,
      firstAt: call.first,
      lastAt: call.last,
      lastSuccessAt: null,
      lastWriteAt: null,
      calls: 0,
      reads: 0,
      writes: 0,
      failures: 0,
    };
    into.set(key, s);
  }
  const kind = methodClass(call.method);
  const ok = call.outcome === "success";
  s.calls += call.count;
  if (kind === "read") s.reads += call.count;
  if (kind === "write") s.writes += call.count;
  if (!ok) s.failures += call.count;
  s.firstAt = earlier(s.firstAt, call.first);
  s.lastAt = later(s.lastAt, call.last)!;
  if (ok) s.lastSuccessAt = later(s.lastSuccessAt, call.last);
  if (ok && kind === "write") s.lastWriteAt = later(s.lastWriteAt, call.last);
}

/** What the batch adds per API and caller. */
export function summarise(events: Call[]): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  for (const e of events) addCalls(seen, { ...e, first: e.at, last: e.at, count: 1 });
  return seen;
}

export async function recordObservedAccess(tx: Pick<Tx, "observedAccess">, events: Call[]): Promise<void> {
  const seen = [...summarise(events).values()];
  for (let i = 0; i < seen.length; i += CHUNK) {
    const chunk = seen.slice(i, i + CHUNK);
    const stored = await tx.observedAccess.findMany({
      where: { OR: chunk.map((s) => ({ apiId: s.apiId, clientId: s.clientId })) },
    });
    const byKey = new Map(stored.map((r) => [`${r.apiId}\u0000${r.clientId}`, r]));
    const fresh: Seen[] = [];
    for (const s of chunk) {
      const row = byKey.get(`${s.apiId}\u0000${s.clientId}`);
      if (!row) {
        fresh.push(s);
        continue;
      }
      await tx.observedAccess.update({
        where: { apiId_clientId: { apiId: s.apiId, clientId: s.clientId } },
        data: {
          firstAt: earlier(row.firstAt, s.firstAt),
          lastAt: later(row.lastAt, s.lastAt)!,
          lastSuccessAt: later(row.lastSuccessAt, s.lastSuccessAt),
          lastWriteAt: later(row.lastWriteAt, s.lastWriteAt),
          calls: { increment: s.calls },
          reads: { increment: s.reads },
          writes: { increment: s.writes },
          failures: { increment: s.failures },
        },
      });
    }
    if (fresh.length) await tx.observedAccess.createMany({ data: fresh });
  }
}
