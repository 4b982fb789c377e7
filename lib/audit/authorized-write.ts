import "server-only";
import { writableClientForAuthorizedWrite, dbProvider, insideWrite, type Tx } from "@/lib/db/client";
import { requirePermission, requireRolePermission, type Permission, type Actor, type Target } from "@/lib/authz/policy";
import { AppError, prismaErrorCode } from "@/lib/errors";
import { asFaultError } from "@/lib/db/fault-errors";
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
 * What the first request with this Idempotency-Key answered (JSON), or null when the key is new;
 * refuses a key that was used for a different request. REST routes ask before reading the body into a
 * write (the fast path); authorizedWrite asks again under the chain lock, where the answer is final.
 */
export async function idempotentResult(
  client: Pick<Tx, "idempotencyRecord">,
  idem: NonNullable<WriteContext["idempotency"]>,
): Promise<string | null> {
  const existing = await client.idempotencyRecord.findUnique({
    where: { principal_key: { principal: idem.principal, key: idem.key } },
  });
  if (!existing) return null;
  if (existing.requestHash !== idem.requestHash || existing.method !== idem.method || existing.route !== idem.route) {
    throw new AppError(
      "IDEMPOTENCY_KEY_REUSED",
      "This Idempotency-Key was already used for a different request; use a new key.",
    );
  }
  return existing.responseBody;
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
  // lib/sessions/session-state.ts), so it may finish without an entry of its own.
  check: {
    permission: Permission;
    loadTarget?: (tx: Tx) => Promise<Target | Target[] | null>;
    countsOnly?: "auth:record-sign-in" | "session:touch";
  },
  work: (tx: Tx, audit: Audit) => Promise<T>,
): Promise<T> {
  const client = await writableClientForAuthorizedWrite();
  try {
    return await client.$transaction(
      // insideWrite: `db` is refused in here (lib/db/client.ts says why); everything goes through tx.
      async (tx) =>
        insideWrite(check.permission, async () => {
          await lockAuditChain(tx);
          const loaded = check.loadTarget ? await check.loadTarget(tx) : undefined;
          if (loaded === null) throw new AppError("NOT_FOUND", "That record does not exist or was deleted.");
          if (Array.isArray(loaded)) {
            requireRolePermission(ctx.actor, check.permission);
            for (const target of loaded) requirePermission(ctx.actor, check.permission, target);
          } else {
            requirePermission(ctx.actor, check.permission, loaded);
          }
          // Writers are serialised at the chain lock above, so this check-then-insert cannot race: a retry
          // with the same key sees the first request's record, or waits until it has committed.
          const idem = ctx.idempotency;
          if (idem) {
            const first = await idempotentResult(tx, idem);
            if (first !== null) throw new IdempotentReplay(first);
          }
          const appended: AppendedEntry[] = [];
          const result = await work(tx, async (entry) => {
            appended.push(...(await appendAuditEntries(tx, ctx, Array.isArray(entry) ? entry : [entry])));
          });
          if (appended.length === 0 && check.countsOnly !== check.permission)
            throw new Error(`authorizedWrite(${check.permission}) finished without an audit entry`);
          // The history of the APIs this write changed, as they stand now that the work is done.
          if (appended.length) await recordApiVersions(tx, appended, appended.at(-1)!.at);
          if (idem)
            await tx.idempotencyRecord.create({
              // A BigInt (a byte count in a row a service returns) is kept as its decimal digits.
              data: {
                ...idem,
                status: 200,
                responseBody: JSON.stringify(result ?? null, (_, v: unknown) =>
                  typeof v === "bigint" ? v.toString() : v,
                ),
              },
            });
          return result;
        }),
      { timeout: 60_000, maxWait: 30_000 },
    );
  } catch (error) {
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
  } else {
    await tx.$executeRawUnsafe('UPDATE "AuditEntry" SET "seq" = "seq" WHERE 0');
  }
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
