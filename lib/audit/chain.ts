// Pure functions of the hash chain, shared by the writer (authorized-write.ts) and the verifier.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type ChainedFields = {
  at: Date;
  actorId: string | null;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string;
  summary: string;
  diff: string;
  ip: string;
  prevHash: string;
};

/** JSON with object keys sorted at every level and dates as ISO strings: one byte string per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

export function entryHash(fields: ChainedFields): string {
  const body = canonicalJson({ ...fields, at: fields.at.toISOString() });
  return createHash("sha256").update(body).digest("hex");
}

export type Change = { from: unknown; to: unknown };

/** Field-level changes between two records (only fields whose canonical value differs). */
export function diffRecords(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  ignore: readonly string[] = ["updatedAt", "version"],
): Record<string, Change> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Record<string, Change> = {};
  for (const key of [...keys].sort()) {
    if (ignore.includes(key)) continue;
    const from = before?.[key] ?? null;
    const to = after?.[key] ?? null;
    if (canonicalJson(from) !== canonicalJson(to)) changes[key] = { from, to };
  }
  return changes;
}

export type VerifiableEntry = ChainedFields & { seq: number; hash: string };

export type ChainReport =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; brokenAtSeq: number; reason: string };

/** Checks entries in `seq` order; feed them in batches by passing the previous report's head. */
export function verifyEntries(entries: Iterable<VerifiableEntry>, start = { prevHash: GENESIS_HASH, count: 0 }): ChainReport {
  let prevHash = start.prevHash;
  let count = start.count;
  for (const entry of entries) {
    if (entry.prevHash !== prevHash) {
      return { ok: false, count, brokenAtSeq: entry.seq, reason: `entry ${entry.seq} does not follow the entry before it (a previous entry was removed, reordered or altered)` };
    }
    const { seq: _seq, hash, ...fields } = entry;
    if (entryHash(fields) !== hash) {
      return { ok: false, count, brokenAtSeq: entry.seq, reason: `entry ${entry.seq} was altered after it was written (its hash does not match its content)` };
    }
    prevHash = hash;
    count++;
  }
  return { ok: true, count, headHash: prevHash };
}
