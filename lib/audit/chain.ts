// Pure functions of the hash chain, shared by the writer (authorized-write.ts) and the verifier.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

declare global {
  interface String {
    /** ES2024; Node 20 has it, the project's TypeScript lib (ES2023) does not list it yet. */
    toWellFormed(): string;
  }
}

/**
 * Text exactly as both databases store it, so the hash covers the stored bytes. A lone UTF-16
 * surrogate cannot be encoded as UTF-8: both drivers would store U+FFFD in its place, so it becomes
 * U+FFFD before hashing (String#toWellFormed). PostgreSQL refuses NUL in text outright (SQLite keeps it):
 * it becomes U+FFFD too, on both, so an entry never differs between the two. Every other string is
 * returned unchanged, so well-formed entries hash exactly as they always did.
 */
export function storableText(value: string): string {
  const wellFormed = value.toWellFormed();
  return wellFormed.includes("\0") ? wellFormed.replaceAll("\0", "\uFFFD") : wellFormed;
}

/** The chained fields as they will be stored: every text field made storable (see storableText). */
export function storableFields(fields: ChainedFields): ChainedFields {
  return {
    at: fields.at,
    actorId: fields.actorId === null ? null : storableText(fields.actorId),
    actorEmail: storableText(fields.actorEmail),
    action: storableText(fields.action),
    targetType: storableText(fields.targetType),
    targetId: storableText(fields.targetId),
    summary: storableText(fields.summary),
    diff: storableText(fields.diff),
    ip: storableText(fields.ip),
    prevHash: fields.prevHash,
  };
}

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

export type BrokenEntry = { seq: number; reason: string };

/** The report lists at most this many broken entries (the count is always complete). */
export const MAX_LISTED_BROKEN = 100;

export type ChainReport = {
  ok: boolean;
  /** Entries read. */
  count: number;
  /** The last entry read (its stored hash), or null for an empty log. */
  head: { seq: number; hash: string } | null;
  brokenCount: number;
  /** The first MAX_LISTED_BROKEN broken entries, in order. */
  broken: BrokenEntry[];
};

/**
 * Checks entries fed in `seq` order (in batches: call add for each, report at the end). Every entry is
 * checked on its own after a broken one, so one poisoned or altered entry cannot hide tampering after
 * it: its own hash against its content, and its link against the stored hash of the entry before it.
 */
export class ChainVerifier {
  private prevHash: string;
  private prevSeq: number | null;

  /** From the start of the log, or from a known entry (the next entry fed must follow it). */
  constructor(start: { seq: number; hash: string } | null = null) {
    this.prevHash = start?.hash ?? GENESIS_HASH;
    this.prevSeq = start?.seq ?? null;
  }

  private count = 0;
  private brokenCount = 0;
  private readonly broken: BrokenEntry[] = [];

  add(entry: VerifiableEntry): void {
    const reasons: string[] = [];
    if (entry.prevHash !== this.prevHash) {
      reasons.push(
        this.prevSeq === null
          ? "it does not start the chain (entries before it were removed)"
          : `it does not follow entry ${this.prevSeq} (an entry between them was removed, reordered or altered)`,
      );
    }
    const { seq: _seq, hash, ...fields } = entry;
    if (entryHash(fields) !== hash)
      reasons.push("it was altered after it was written (its hash does not match its content)");
    if (reasons.length) {
      this.brokenCount++;
      if (this.broken.length < MAX_LISTED_BROKEN)
        this.broken.push({ seq: entry.seq, reason: `entry ${entry.seq}: ${reasons.join("; ")}` });
    }
    this.prevHash = hash;
    this.prevSeq = entry.seq;
    this.count++;
  }

  report(): ChainReport {
    const head = this.prevSeq === null ? null : { seq: this.prevSeq, hash: this.prevHash };
    return {
      ok: this.brokenCount === 0,
      count: this.count,
      head,
      brokenCount: this.brokenCount,
      broken: [...this.broken],
    };
  }
}

export function verifyEntries(entries: Iterable<VerifiableEntry>): ChainReport {
  const verifier = new ChainVerifier();
  for (const entry of entries) verifier.add(entry);
  return verifier.report();
}
