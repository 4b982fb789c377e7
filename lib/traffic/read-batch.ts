import { createHash } from "node:crypto";
import { cutText } from "@/lib/input/text";
import { unreadableOf } from "@/lib/input/unreadable";
import { TimeSlice } from "@/lib/runtime/event-loop";
import { readRecord, type CompiledMapping, type Reading } from "@/lib/traffic/profiles";
import type { Profile } from "@/lib/traffic/schemas";

// A traffic batch's records read by the source's profile, each with its de-duplication key and, when it
// cannot be read, the text the quarantine keeps. Pure, and imports no server module: it runs on the
// server's thread and on the OTLP reading threads (lib/traffic/otlp-reader.ts) alike.

/** A quarantined record is kept as sent up to this many characters of JSON. */
export const QUARANTINE_RECORD_CHARS = 16_384;
/**
 * What one batch may put in the quarantine in all: a 32 MB body of 10,000 bad records must not become
 * 160 MB of rows. Past it, the reasons are kept and the records' text is not.
 */
export const QUARANTINE_BATCH_CHARS = 4 * 1024 * 1024;
/** Said after a record kept in part: it can be read, not retried. */
export const CUT = "… (cut)";
export const NOT_KEPT = "(not kept: the batch's quarantine was full)";
/** The time part of the key of a record that could not be read (it has no time of its own). */
const NO_TIME = "0".repeat(9);

/** A record's key, and the form keys were kept in before they began with the time (TrafficRecordKeyV1). */
export type RecordKey = { key: string; legacy: string };

/**
 * A record's reading and its de-duplication key (lib/traffic/record-keys.ts); a record that cannot be
 * read also has the text its quarantine row keeps.
 */
export type Keyed = RecordKey & { reading: Reading; quarantine?: string };

/**
 * The key of a record: when it happened (ms, base 36, 9 characters; zeros when it cannot be read) and 96
 * bits of the SHA-256 of `json`, the record as sent preceded by how many identical records came before
 * it in the batch. `legacy` is the earlier form (128 bits of the same hash).
 */
export function recordKey(json: string, time: Date | null): RecordKey {
  const hex = createHash("sha256").update(json).digest("hex");
  const ms = time ? Math.max(0, time.getTime()) : NaN;
  const prefix = Number.isFinite(ms) ? ms.toString(36).padStart(9, "0").slice(-9) : NO_TIME;
  return { key: `${prefix}${hex.slice(0, 24)}`, legacy: hex.slice(0, 32) };
}

/** Each record read by the profile, with its de-duplication key. */
export async function readAll(
  profile: Profile,
  mapping: CompiledMapping | null,
  records: unknown[],
  now: Date,
): Promise<Keyed[]> {
  const readings: Keyed[] = [];
  const repeats = new Map<string, number>();
  const slice = new TimeSlice();
  let budget = QUARANTINE_BATCH_CHARS;
  for (const record of records) {
    if (slice.due) await slice.yield();
    const reading = readRecord(profile, record, now, mapping);
    // Identical records in one batch are separate calls (two in the same second, in a log whose time has
    // seconds): each is told apart by how many came before it, which a retry of the batch repeats. Across
    // batches, an identical record is taken for a retry.
    const json = recordJson(record);
    const seen = repeats.get(json) ?? 0;
    repeats.set(json, seen + 1);
    const keyed: Keyed = { ...recordKey(`${seen}:${json}`, reading.ok === true ? reading.call.time : null), reading };
    if (reading.ok === false) {
      keyed.quarantine = budget > 0 ? quarantineText(record) : NOT_KEPT;
      budget -= keyed.quarantine.length;
    }
    readings.push(keyed);
  }
  return readings;
}

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
