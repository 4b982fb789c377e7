import "server-only";
import { bulkInsertColumns } from "@/lib/audit/bulk-insert";
import { dbProvider, type Tx } from "@/lib/db/client";
import type { RecordKey } from "@/lib/traffic/read-batch";

// De-duplication of what a traffic source sends (TrafficRecordKey): one key per record, so a shipper's
// retry stores nothing twice. A key (recordKey, lib/traffic/read-batch.ts) is when the record happened
// (ms, base 36, 9 characters; zeros when the record could not be read) and 96 bits of the SHA-256 of the
// record as sent. Of the record as sent,
// not of the source's request id alone: some gateways log the caller's own X-Request-Id header (Traefik,
// Envoy for internal callers), and an attacker repeating one id would have every failed attempt after the
// first dropped as a retry. The time first makes a batch's keys land together at the end of the index,
// where random keys dirtied pages all across it; and the keys are pruned by a range of the index, so no
// second index on the day is kept (together about a third of a batch's SQLite time, measured).

/**
 * How long a record's key is kept after the day it arrived: a shipper's retry within it stores nothing
 * twice (Fluent Bit, Vector and the Collector retry within minutes to hours).
 */
export const TRAFFIC_KEY_DAYS = 7;
/** Keys looked up per query: within every database's limit on bound values. */
const KEYS_PER_QUERY = 5000;
const DAY_MS = 86_400_000;
/** The first key of a record that happened at `t`: keys below it are of records from before then. */
const keyAt = (t: number) => Math.max(0, t).toString(36).padStart(9, "0");

/**
 * The keys among `keys` that the source already sent. While keys of the earlier form are still kept
 * (TRAFFIC_KEY_DAYS after the upgrade), those are looked up too.
 */
export async function knownKeys(
  client: Pick<Tx, "trafficRecordKey" | "trafficRecordKeyV1">,
  sourceId: string,
  keys: RecordKey[],
): Promise<Set<string>> {
  const known = new Set<string>();
  const legacy = (await legacyKeysKept(client)) ? new Map(keys.map((k) => [k.legacy, k.key])) : null;
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
    const slice = keys.slice(i, i + KEYS_PER_QUERY);
    const found = await client.trafficRecordKey.findMany({
      where: { sourceId, key: { in: slice.map((k) => k.key) } },
      select: { key: true },
    });
    for (const { key } of found) known.add(key);
    if (!legacy) continue;
    const old = await client.trafficRecordKeyV1.findMany({
      where: { sourceId, key: { in: slice.map((k) => k.legacy) } },
      select: { key: true },
    });
    for (const { key } of old) known.add(legacy.get(key)!);
  }
  return known;
}

/**
 * Whether keys of the earlier form may still be kept: TrafficRecordKeyV1 is never written, so the day of
 * its newest key, read once per process and database, says until when.
 */
let legacy: { url: string | undefined; until: Promise<number> } | null = null;
async function legacyKeysKept(client: Pick<Tx, "trafficRecordKeyV1">): Promise<boolean> {
  const url = process.env.DATABASE_URL;
  let current = legacy;
  if (!current || current.url !== url) {
    // Read through the caller's client: inside a batch's transaction, its own connection.
    const until = client.trafficRecordKeyV1
      .aggregate({ _max: { day: true } })
      .then((r) => (r._max.day ? r._max.day.getTime() + (TRAFFIC_KEY_DAYS + 1) * DAY_MS : 0));
    current = legacy = { url, until };
    // A failed read is tried again by the next batch.
    until.catch(() => {
      if (legacy?.until === until) legacy = null;
    });
  }
  return Date.now() < (await current.until);
}

/**
 * A key of the batch was kept by another batch after the batch's keys were looked up (the same records
 * sent twice at once): the batch starts over, and stores only what the other did not.
 */
export class KeysTaken extends Error {
  constructor() {
    super("Records of this batch were kept by another batch meanwhile");
    this.name = "KeysTaken";
  }
}

/**
 * Keeps the batch's new keys, in the batch's transaction and before anything else it stores: the keys'
 * primary key refuses a key that another batch kept since they were looked up (KeysTaken). On PostgreSQL
 * a batch beside this one keeping the same key makes the insert wait until that batch commits or rolls
 * back; the keys go in sorted, so two such batches wait at their first shared key, never in a cycle.
 */
export async function keepKeys(tx: Tx, sourceId: string, keys: string[], now: Date): Promise<void> {
  const day = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS).toISOString();
  try {
    await bulkInsertColumns(
      tx,
      dbProvider(),
      "TrafficRecordKey",
      [
        ["sourceId", "text"],
        ["key", "text"],
        ["day", "timestamp"],
      ],
      // In key order: the rows go into the index one after another.
      keys.sort().map((key) => [sourceId, key, day]),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new KeysTaken();
    throw error;
  }
}

/** A unique index refused a row: PostgreSQL's SQLSTATE 23505 (COPY), or SQLite's constraint error through Prisma. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
    message?: unknown;
  };
  if (e?.code === "23505" || e?.code === "P2002") return true;
  const kind = e?.meta?.driverAdapterError?.cause?.kind;
  if (kind === "UniqueConstraintViolation") return true;
  return typeof e?.message === "string" && /UNIQUE constraint failed|unique constraint/i.test(e.message);
}

/** The UTC day each source's keys were last pruned on, in this process. */
const prunedOn = new Map<string, number>();

/**
 * Once a day per source (and process), in a batch's turn: the keys that arrived more than
 * TRAFFIC_KEY_DAYS days before are pruned. A key is pruned only when its record also happened before
 * then, so the delete walks the start of the source's range of the primary key (the old records, and
 * the few old records that arrived late, which stay until their own day passes).
 */
export async function pruneKeys(tx: Tx, sourceId: string, now: Date): Promise<void> {
  const today = Math.floor(now.getTime() / DAY_MS);
  // Noted before the commit: a batch that rolls back leaves the day's pruning to the next day's first
  // batch, whose range covers every older key as well.
  if (prunedOn.get(sourceId) === today) return;
  const before = new Date((today - TRAFFIC_KEY_DAYS) * DAY_MS);
  await tx.trafficRecordKey.deleteMany({
    where: { sourceId, key: { lt: keyAt(before.getTime()) }, day: { lt: before } },
  });
  if (await legacyKeysKept(tx)) await tx.trafficRecordKeyV1.deleteMany({ where: { sourceId, day: { lt: before } } });
  prunedOn.set(sourceId, today);
}
