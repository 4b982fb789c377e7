import "server-only";
import { randomUUID } from "node:crypto";
import {
  writableClientForAuthorizedWrite,
  dbProvider,
  insideWrite,
  TRANSACTION_TIMEOUT_MS,
  type Tx,
} from "@/lib/db/client";
import { requirePermission, requireRolePermission, type Permission, type Actor, type Target } from "@/lib/authz/policy";
import { AppError, prismaErrorCode } from "@/lib/errors";
import { asFaultError, isSqliteBusy } from "@/lib/db/fault-errors";
import { setTimeout as sleep } from "node:timers/promises";
import { bulkInsert } from "@/lib/audit/bulk-insert";
import { GENESIS_HASH, canonicalJson, diffRecords, entryHash, storableFields } from "@/lib/audit/chain";
import { recordApiVersions } from "@/lib/audit/api-versions";

export type AuditInput = {
  action: string;
  targetType: string;
  targetId: string;
  summary?: string;
  /** Whole records; the entry stores only the fields that changed. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Event details instead of a before/after pair (sign-ins, imports). */
  details?: Record<string, unknown>;
};

/** Appends audit entries in the write's transaction (what authorizedWrite hands its work). */
export type Audit = (entry: AuditInput | AuditInput[]) => Promise<void>;

/**
 * For a write that runs beside others (`alongside`): waits for the write's turn at the end of the audit
 * chain. From then until the commit the write runs alone among writes, so what it reads cannot change
 * before it commits. Before it, the write may only insert new rows (a unique key it inserts is its claim:
 * another write inserting the same key waits until this one commits, then fails) — not update rows that
 * other writes also update, which it would hold locked until its commit, queueing them there instead.
 * Writes that are not `alongside` have their turn from the start, and calling it is a no-op.
 */
export type TakeTurn = () => Promise<void>;

export type WriteContext = {
  actor: Actor;
  /** The caller's network address, recorded with each audit entry. */
  ip?: string;
  /** A REST write sent with an Idempotency-Key: its result is kept with the change, in the same transaction. */
  idempotency?: { principal: string; key: string; method: string; route: string; requestHash: string };
};

/**
 * Thrown instead of running a write whose Idempotency-Key was already used: `result` is what the first
 * request returned (JSON), for the route to answer with again.
 */
export class IdempotentReplay extends Error {
  constructor(readonly result: string) {
    super("Idempotent replay");
    this.name = "IdempotentReplay";
  }
}

/**
 * What the first request with this Idempotency-Key answered (JSON), or null when the key is new (or its
 * first request is still running); refuses a key that was used for a different request. REST routes ask
 * before reading the body into a write (the fast path); authorizedWrite claims the key in the write's
 * transaction, where the answer is final.
 */
export async function idempotentResult(
  client: Pick<Tx, "idempotencyRecord">,
  idem: NonNullable<WriteContext["idempotency"]>,
): Promise<string | null> {
  const existing = await client.idempotencyRecord.findUnique({
    where: { principal_key: { principal: idem.principal, key: idem.key } },
  });
  // Status 0: claimed by a request still running (on SQLite a read outside a transaction sees it before it
  // commits). Not final: the write path waits its turn behind that request and then replays its answer.
  if (!existing || existing.status === 0) return null;
  if (existing.requestHash !== idem.requestHash || existing.method !== idem.method || existing.route !== idem.route) {
    throw new AppError(
      "IDEMPOTENCY_KEY_REUSED",
      "This Idempotency-Key was already used for a different request; use a new key.",
    );
  }
  return existing.responseBody;
}

/**
 * Thrown by a write's work when what it came to change is no longer there — another instance or run took
 * it first (the e-mails it would claim, the events it would roll up). The transaction rolls back, nothing
 * is written and no entry is made, as nothing changed; authorizedWrite returns `result`.
 */
class NothingToWrite extends Error {
  constructor(readonly result: unknown) {
    super("nothing to write");
  }
}

/** Ends a write's work with nothing written (see NothingToWrite): `return nothingToWrite(0)`. */
export function nothingToWrite<T>(result: T): T {
  throw new NothingToWrite(result);
}

/**
 * The one way to change the database. In one transaction: load the target's facts, check the policy,
 * run the change, append its audit entries to the hash chain. If anything throws — including a crash
 * or kill before COMMIT — nothing is written, the audit entries included.
 */
export async function authorizedWrite<T>(
  ctx: WriteContext,
  // loadTarget returns the object the action is on (null = it does not exist), or for a bulk change the
  // list of objects, every one of which must be allowed.
  // countsOnly: the write may only add to a count or a last-seen time on a row whose creation was itself
  // audited (a repeated failed authentication, lib/auth/failure-record.ts; a session's last use,
  // lib/sessions/session-state.ts; an evidence export's progress, lib/evidence/export-jobs.ts), or only
  // record how the installation's own machinery is doing (the SIEM forwarder's cursor, lib/siem/forwarder.ts;
  // a background job's last run, lib/jobs/job-runs.ts; a webhook delivery's attempt, lib/webhooks/deliver.ts,
  // whose row is the delivery log), so it may finish without an entry of its own.
  check: {
    permission: Permission;
    loadTarget?: (tx: Tx) => Promise<Target | Target[] | null>;
    countsOnly?:
      | "auth:record-sign-in"
      | "session:touch"
      | "evidence:record-progress"
      | "audit:forward"
      | "jobs:record-run"
      | "webhooks:deliver";
    /**
     * The write may run beside other such writes until it takes its turn (TakeTurn says what it may do
     * before then); the audit entries are appended in its turn. Batches of events use it, so concurrent
     * senders are not held up by each other's COPY. On SQLite every write has its turn from the start.
     */
    alongside?: true;
  },
  work: (tx: Tx, audit: Audit, takeTurn: TakeTurn) => Promise<T>,
): Promise<T> {
  const client = await writableClientForAuthorizedWrite();
  let busySince: number | null = null;
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.$transaction(
        // insideWrite: `db` is refused in here (lib/db/client.ts says why); everything goes through tx.
        async (tx) => insideWrite(check.permission, () => writeInTransaction(tx, ctx, check, work)),
        { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
      );
    } catch (error) {
      if (error instanceof NothingToWrite) return error.result as T;
      // Another process holds the SQLite file's write lock: this write wrote nothing yet and has let go
      // of the connection, so it waits off the event loop and asks again, until the wait runs out.
      if (error instanceof FileBusy) {
        // Timed from the first refusal, not from the queue for this process's connection before it.
        busySince ??= Date.now();
        if (Date.now() - busySince < SQLITE_LOCK_WAIT_MS) {
          await sleep(2 + Math.random() * 8);
          continue;
        }
        throw asFaultError(error.cause) ?? error;
      }
      // Writes beside each other only insert before their turn (TakeTurn), so PostgreSQL should never find
      // them deadlocked; if it does, it rolls one back, and that one is run again rather than refused.
      if (prismaErrorCode(error) === "P2034" && check.alongside && attempt < 3) continue;
      if (prismaErrorCode(error) === "P2002") {
        throw new AppError("CONFLICT", "A record with the same unique value already exists.");
      }
      if (prismaErrorCode(error) === "P2025") {
        throw new AppError("NOT_FOUND", "That record does not exist or was deleted.");
      }
      // The database went away: the transaction rolled back or never began — unless the connection was
      // lost during COMMIT itself, which no client can tell apart; an Idempotency-Key makes that retry safe.
      throw asFaultError(error) ?? error;
    }
  }
}

async function writeInTransaction<T>(
  tx: Tx,
  ctx: WriteContext,
  check: Parameters<typeof authorizedWrite<T>>[1],
  work: (tx: Tx, audit: Audit, takeTurn: TakeTurn) => Promise<T>,
): Promise<T> {
  let turn = false;
  const takeTurn = async () => {
    if (turn) return;
    await lockAuditChain(tx);
    turn = true;
  };
  // Writes beside each other share the writers' lock until their turn; any other write holds it
  // alone, from the start: it runs while nothing else is in flight.
  await lockWriters(tx, check.alongside ? "shared" : "alone");
  if (!check.alongside || dbProvider() === "sqlite") await takeTurn();
  const loaded = check.loadTarget ? await check.loadTarget(tx) : undefined;
  if (loaded === null) throw new AppError("NOT_FOUND", "That record does not exist or was deleted.");
  if (Array.isArray(loaded)) {
    requireRolePermission(ctx.actor, check.permission);
    for (const target of loaded) requirePermission(ctx.actor, check.permission, target);
  } else {
    requirePermission(ctx.actor, check.permission, loaded);
  }
  // The key is claimed by inserting its record now (its answer is filled in at the end): a retry
  // sent while the first request is still running waits at this insert until that one commits,
  // then replays its answer, or takes the key if it rolled back.
  const idem = ctx.idempotency;
  if (idem) await claimIdempotencyKey(tx, idem);
  const appended: AppendedEntry[] = [];
  const result = await work(
    tx,
    async (entry) => {
      await takeTurn();
      appended.push(...(await appendAuditEntries(tx, ctx, Array.isArray(entry) ? entry : [entry])));
    },
    takeTurn,
  );
  await takeTurn();
  if (appended.length === 0 && check.countsOnly !== check.permission)
    throw new Error(`authorizedWrite(${check.permission}) finished without an audit entry`);
  // The history of the APIs this write changed, as they stand now that the work is done.
  if (appended.length) await recordApiVersions(tx, appended, appended.at(-1)!.at);
  if (idem)
    await tx.idempotencyRecord.update({
      where: { principal_key: { principal: idem.principal, key: idem.key } },
      // A BigInt (a byte count in a row a service returns) is kept as its decimal digits.
      data: {
        status: 200,
        responseBody: JSON.stringify(result ?? null, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      },
    });
  return result;
}

/**
 * Inserts the key's record, or — when a request with the key has committed — replays its answer
 * (IdempotentReplay) or refuses a key used for a different request.
 */
async function claimIdempotencyKey(tx: Tx, idem: NonNullable<WriteContext["idempotency"]>): Promise<void> {
  const values = dbProvider() === "postgres" ? "$1, $2, $3, $4, $5, $6" : "?, ?, ?, ?, ?, ?";
  const claimed = await tx.$executeRawUnsafe(
    `INSERT INTO "IdempotencyRecord" ("id", "principal", "key", "method", "route", "requestHash", "status", "responseBody")
     VALUES (${values}, 0, '') ON CONFLICT ("principal", "key") DO NOTHING`,
    randomUUID(),
    idem.principal,
    idem.key,
    idem.method,
    idem.route,
    idem.requestHash,
  );
  if (claimed) return;
  // The other request committed before this insert looked (or, on PostgreSQL, this insert waited for it
  // to), so its record is complete now.
  const first = await idempotentResult(tx, idem);
  if (first === null) throw new Error("Idempotency record incomplete after its key conflicted");
  throw new IdempotentReplay(first);
}

/**
 * Writers take turns at the end of the chain. On PostgreSQL a transaction-scoped advisory lock does it.
 * On SQLite the adapter runs one transaction at a time per process, and between processes (the server
 * and a CLI command on one file) the first statement takes the database's write lock: a transaction
 * that read first and wrote later would fail at once (SQLITE_BUSY_SNAPSHOT) whenever the other process
 * had committed in between, while waiting for the lock up front honours the busy timeout.
 */
async function lockAuditChain(tx: Tx): Promise<void> {
  if (dbProvider() === "postgres") {
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(7311210411)");
    return;
  }
  try {
    await tx.$executeRawUnsafe('UPDATE "AuditEntry" SET "seq" = "seq" WHERE 0');
  } catch (error) {
    throw isSqliteBusy(error) ? new FileBusy(error) : error;
  }
}

/**
 * How long a write on SQLite waits for another process (a CLI command, a second server on the file) to
 * let go of the write lock before it is refused as unavailable (503). SQLite's own busy wait sleeps on
 * the calling thread — the server's only one — and polls ever more slowly, up to every 100 ms, so a
 * writer looping in another process kept taking the lock back first. The connection's busy timeout is
 * therefore short (lib/db/client.ts SQLITE_BUSY_TIMEOUT_MS) and the rest of the wait is here, between
 * attempts, off the event loop, asking again every few milliseconds.
 */
export const SQLITE_LOCK_WAIT_MS = 5000;

/** The lock statement found the SQLite file's write lock held by another process (nothing was written). */
class FileBusy extends Error {
  constructor(readonly cause: unknown) {
    super("The database file is locked by another process");
  }
}

/**
 * PostgreSQL only (SQLite runs one write at a time anyway): writes that may run beside each other hold
 * the writers' lock shared, any other write holds it alone. Every write takes it before the chain's lock,
 * so the two never wait for each other in opposite orders.
 */
async function lockWriters(tx: Tx, mode: "shared" | "alone"): Promise<void> {
  if (dbProvider() !== "postgres") return;
  await tx.$executeRawUnsafe(
    mode === "shared" ? "SELECT pg_advisory_xact_lock_shared(7311210412)" : "SELECT pg_advisory_xact_lock(7311210412)",
  );
}

type AppendedEntry = { at: Date; targetType: string; targetId: string; hash: string };

/** Appends entries in order; a bulk change (an import) writes all its entries in batches. */
async function appendAuditEntries(tx: Tx, ctx: WriteContext, entries: AuditInput[]): Promise<AppendedEntry[]> {
  const last = await tx.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const rows = entries.map((entry) => {
    const payload =
      entry.details !== undefined
        ? entry.details
        : {
            changes: diffRecords(entry.before ?? null, entry.after ?? null),
            kind: entry.before && entry.after ? "update" : entry.after ? "create" : "delete",
          };
    // Hashed as stored: text neither database can keep as given (lone surrogates, NUL) is made storable
    // first, whatever the caller passed, so the chain never depends on every input having been checked.
    const fields = storableFields({
      at,
      actorId: ctx.actor.id,
      actorEmail: ctx.actor.email,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      summary: entry.summary ?? "",
      diff: canonicalJson(payload),
      ip: ctx.ip ?? "",
      prevHash,
    });
    const hash = entryHash(fields);
    prevHash = hash;
    return { ...fields, hash };
  });
  // One entry: a plain create. Many (an import): multi-row INSERTs, whose row order gives seq its order.
  if (rows.length === 1) await tx.auditEntry.create({ data: rows[0]! });
  else await bulkInsert(tx, dbProvider(), "AuditEntry", rows);
  return rows;
}
