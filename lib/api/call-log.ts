import "server-only";
import { randomUUID } from "node:crypto";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { bulkInsert } from "@/lib/audit/bulk-insert";
import { dbProvider } from "@/lib/db";

// Every REST call is logged (ISM-2015). Writing one audited transaction per GET would serialise reads
// behind the audit chain, so calls are buffered and written in batches — at most a second later, or
// at 500 calls — each batch with one audit entry that counts it. The token's last use is updated in the
// same transaction.
export type ApiCall = { at: Date; tokenId: string | null; userId: string | null; method: string; route: string; status: number; ip: string; durationMs: number };

const FLUSH_MS = 1000;
const FLUSH_AT = 500;
let buffer: ApiCall[] = [];
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> = Promise.resolve();

export function recordApiCall(call: ApiCall): void {
  buffer.push(call);
  if (buffer.length >= FLUSH_AT) void flushApiCalls();
  else timer ??= setTimeout(() => void flushApiCalls(), FLUSH_MS);
}

/** Writes the buffered calls now (also used by tests and on shutdown). */
export function flushApiCalls(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const batch = buffer;
  buffer = [];
  flushing = flushing.then(async () => {
    if (!batch.length) return;
    try {
      await writeBatch(batch);
    } catch (error) {
      console.error(`Could not write ${batch.length} API call log entries`, error);
    }
  });
  return flushing;
}

async function writeBatch(batch: ApiCall[]): Promise<void> {
  await authorizedWrite({ actor: { kind: "system", id: null, email: "api-call-log" } }, { action: "api:record-call" }, async (tx, audit) => {
    await bulkInsert(tx, dbProvider(), "ApiCallLog", batch.map((c) => ({ id: randomUUID(), ...c })));
    const lastUse = new Map<string, ApiCall>();
    for (const c of batch) if (c.tokenId && c.status < 400) lastUse.set(c.tokenId, c);
    for (const [tokenId, c] of lastUse) await tx.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: c.at, lastUsedIp: c.ip } });
    await audit({ action: "rest.calls", targetType: "api-call-log", targetId: "-", summary: `${batch.length} REST API call(s) logged`, details: { count: batch.length, from: batch[0]!.at.toISOString(), to: batch[batch.length - 1]!.at.toISOString(), failed: batch.filter((c) => c.status >= 400).length } });
  });
}
