import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as SqliteClient } from "@/lib/generated/prisma-sqlite/client";
import { PrismaClient as PostgresClient } from "@/lib/generated/prisma-postgres/client";
import { databaseUrl, providerOf, sqlitePath, type DbProvider } from "@/lib/db/db-url";
import { asFaultError } from "@/lib/db/fault-errors";
import { startCheckpointer, type Checkpointer } from "@/lib/db/sqlite-checkpointer";
import { preparedStatementsOn, statementNamer } from "@/lib/db/statement-names";
import { isReadOnlySql } from "@/lib/db/read-only-sql";
import { createDriverReader, type DriverReader, type DriverValue } from "@/lib/db/driver-read";

export type { DbProvider };
export type DbClient = SqliteClient;
/** The transaction client a write is handed inside authorizedWrite (lib/audit/authorized-write.ts). */
export type Tx = Parameters<Parameters<DbClient["$transaction"]>[0]>[0];

/*
 * Two Prisma clients, one data model: the query compiler is provider-specific, so each provider has its
 * own generated client (prisma/generate-schemas.mjs). Their model APIs are identical, which is why the
 * PostgreSQL client is typed as the SQLite one.
 *
 * `db` refuses writes. The only writable client is handed out by lib/audit/authorized-write.ts inside
 * a transaction that checked the permission first and appends the audit entry before it commits
 * (a test checks that nothing else takes the writable client).
 */
const globalForDb = globalThis as unknown as {
  apiledgerDb?: {
    url: string;
    writable: DbClient;
    readOnly: DbClient;
    ready?: Promise<void>;
    checkpointer?: Checkpointer;
    pgConnections?: Set<pg.PoolClient>;
    reader: DriverReader;
  };
};

function clients() {
  const url = databaseUrl();
  if (globalForDb.apiledgerDb?.url !== url) {
    void globalForDb.apiledgerDb?.checkpointer?.stop();
    void globalForDb.apiledgerDb?.reader.close();
    const { writable, pgConnections, reader } = createClient(url);
    globalForDb.apiledgerDb = { url, writable, readOnly: readOnly(writable), pgConnections, reader };
  }
  return globalForDb.apiledgerDb;
}

/**
 * The longest a write's transaction may run: Prisma rolls back one that takes longer
 * (lib/audit/authorized-write.ts).
 */
export const TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * Half the time a write may run: a write waiting for a stopped holder's locks (inside its own transaction)
 * gets them back with time to finish, and no healthy write sits between two statements this long.
 */
export const IDLE_TRANSACTION_CUTOFF_MS = TRANSACTION_TIMEOUT_MS / 2;

/**
 * How long one statement on the writer's SQLite connection waits for another process's lock. SQLite
 * waits by sleeping on the calling thread, which in the server is the only one, so it is kept short:
 * a write that finds the file locked waits the rest of its time between attempts, off the event loop
 * (lib/audit/authorized-write.ts SQLITE_LOCK_WAIT_MS). Reads in WAL mode do not wait for writers.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 10;

/**
 * PostgreSQL ends a session left inside a transaction without a statement for IDLE_TRANSACTION_CUTOFF_MS.
 * A process that stops mid-transaction without dying (a paused VM, SIGSTOP, a debugger) would otherwise hold the chain's and the writers' locks, and every instance's writes would wait on it
 * for as long as it stays stopped; Prisma's own timeout cannot fire in a process that does not run.
 * The job queue's connections (lib/jobs/runner.ts) have it too.
 */
export const PG_SESSION = { idle_in_transaction_session_timeout: IDLE_TRANSACTION_CUTOFF_MS } as const;

function createClient(url: string): { writable: DbClient; pgConnections?: Set<pg.PoolClient>; reader: DriverReader } {
  if (providerOf(url) === "postgres") {
    // Our own pool, handed to the adapter, so a write can reach its transaction's connection for what
    // Prisma cannot send (COPY, in lib/audit/bulk-insert.ts).
    const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      ...PG_SESSION,
    });
    const pgConnections = new Set<pg.PoolClient>();
    pool.on("connect", (connection) => pgConnections.add(connection));
    pool.on("remove", (connection) => pgConnections.delete(connection as pg.PoolClient));
    const name = preparedStatementsOn({ ...process.env, DATABASE_URL: url }) ? statementNamer() : () => "";
    return {
      writable: new PostgresClient({
        adapter: new PrismaPg(pool, { disposeExternalPool: true, statementNameGenerator: name }),
      }) as unknown as DbClient,
      pgConnections,
      reader: createDriverReader(url, { poolSize, name }, 0),
    };
  }
  // synchronous=FULL makes a committed write (and its audit entry) survive a crash or power loss, not
  // just a killed process.
  return {
    writable: new SqliteClient({ adapter: new PrismaBetterSqlite3({ url, timeout: SQLITE_BUSY_TIMEOUT_MS }) }),
    reader: createDriverReader(url, null, sqliteCacheMb()),
  };
}

/**
 * The driver connection that a PostgreSQL transaction runs on, matched by the server process id the
 * transaction reports; null on SQLite, or when no pooled connection matches (a connection pooler in
 * between reports other ids), and the caller then uses plain SQL. Only for work inside that
 * transaction, i.e. inside authorizedWrite: whatever is sent on it commits or rolls back with it.
 * @internal Only lib/audit/bulk-insert.ts may use this (enforced by lib/db/client.test.ts).
 */
export async function transactionConnection(tx: Pick<DbClient, "$queryRawUnsafe">): Promise<pg.PoolClient | null> {
  const connections = globalForDb.apiledgerDb?.pgConnections;
  if (!connections?.size) return null;
  const [row] = await tx.$queryRawUnsafe<{ pid: number }[]>("SELECT pg_backend_pid() AS pid");
  for (const connection of connections)
    if ((connection as pg.PoolClient & { processID?: number }).processID === row?.pid) return connection;
  return null;
}

/** APILEDGER_SQLITE_CACHE_MB: each SQLite connection's page cache (default 64 MB, 2–1024). */
function sqliteCacheMb(env: Record<string, string | undefined> = process.env): number {
  return Math.min(1024, Math.max(2, Number(env.APILEDGER_SQLITE_CACHE_MB) || 64));
}

async function applySqliteSettings(
  client: DbClient,
  entry: { url: string; checkpointer?: Checkpointer },
): Promise<void> {
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  await client.$executeRawUnsafe("PRAGMA synchronous = FULL");
  // A 64 MB page cache (default 2 MB) keeps the event index's hot pages in memory during bulk
  // ingestion. Processes that only read once through the data (the evidence export CLI) ask for less.
  await client.$executeRawUnsafe(`PRAGMA cache_size = -${sqliteCacheMb() * 1024}`);
  // Checkpoints run on their own thread (lib/db/sqlite-checkpointer.ts); the writer's own, at 200 MB of
  // log instead of 4 MB, is only the backstop.
  await client.$executeRawUnsafe("PRAGMA wal_autocheckpoint = 50000");
  entry.checkpointer = startCheckpointer(sqlitePath(entry.url));
}

const WRITE_OPERATIONS = new Set([
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
]);

function readOnly(client: DbClient): DbClient {
  return client.$extends({
    query: {
      $allOperations({ operation, model, args, query }) {
        if (
          WRITE_OPERATIONS.has(operation) ||
          operation === "$executeRaw" ||
          operation === "$executeRawUnsafe" ||
          (operation.startsWith("$queryRaw") && !isReadOnlySql(args))
        ) {
          throw new Error(
            `Write "${operation}" on ${model ?? "raw SQL"} outside authorizedWrite: every write goes through the policy and the audit log`,
          );
        }
        // A database that cannot be reached is a fault with a message of its own (lib/db/fault-errors.ts),
        // also for pages, which only see an error's digest.
        return query(args).catch((error: unknown) => {
          throw asFaultError(error) ?? error;
        });
      },
    },
  }) as unknown as DbClient;
}

/*
 * Inside an authorizedWrite transaction nothing may wait for another connection. On PostgreSQL the
 * transaction holds the audit chain's lock while every other writer holds a pooled connection waiting
 * for it; a read through `db` (or a nested write) then waits for a connection that only frees up when
 * this transaction ends — every write stalls until the timeouts (issue 12, item 14). So `db` and the
 * writable client refuse to be used while a write is open in the same async context: use `tx`.
 * The scope lives on globalThis because Next may load this module more than once.
 */
type WriteScope = { action: string; open: boolean };
const globalForScope = globalThis as unknown as { apiledgerWriteScope?: AsyncLocalStorage<WriteScope> };
const writeScope = (globalForScope.apiledgerWriteScope ??= new AsyncLocalStorage<WriteScope>());

/**
 * Runs an authorizedWrite transaction body with the guard on. Work it starts that outlives it (a
 * background job) inherits the scope but is not refused once the transaction has finished.
 * @internal Only lib/audit/authorized-write.ts may use this (enforced by lib/db/client.test.ts).
 */
export async function insideWrite<T>(action: string, body: () => Promise<T>): Promise<T> {
  const scope: WriteScope = { action, open: true };
  try {
    return await writeScope.run(scope, body);
  } finally {
    scope.open = false;
  }
}

function refuseInsideWrite(what: string): void {
  const scope = writeScope.getStore();
  if (scope?.open) {
    throw new Error(
      `${what} used inside authorizedWrite(${scope.action}): use the transaction client (tx). Another connection would wait for the pool while this transaction holds the audit chain's lock.`,
    );
  }
}

/** Read-only client for queries. */
export const db: DbClient = new Proxy({} as DbClient, {
  get: (_target, key) => {
    if (typeof key === "string") refuseInsideWrite(`db.${key}`);
    return Reflect.get(clients().readOnly, key);
  },
});

export function dbProvider(): DbProvider {
  return providerOf(databaseUrl());
}

/**
 * The placeholders for `count` arguments of a raw statement, numbered from `from` (1-based) on PostgreSQL
 * ($1, $2, …), positional on SQLite (?): one list per IN (…), with the arguments passed in the same order.
 */
export function placeholders(count: number, from = 1, provider: DbProvider = dbProvider()): string[] {
  return Array.from({ length: count }, (_, i) => (provider === "postgres" ? `$${from + i}` : "?"));
}

/**
 * A time as a raw query binds it: SQLite compares Prisma's stored text ("…T09:30:00.000+00:00") as
 * text, so the same form; PostgreSQL takes the Date.
 */
export function boundDate(value: Date, provider: DbProvider = dbProvider()): Date | string {
  return provider === "sqlite" ? value.toISOString().replace("Z", "+00:00") : value;
}

/** @internal Only lib/audit/authorized-write.ts may use this (enforced by lib/db/client.test.ts). */
export async function writableClientForAuthorizedWrite(): Promise<DbClient> {
  refuseInsideWrite("A nested authorizedWrite");
  const c = clients();
  // SQLite settings are per connection (the adapter holds one), so apply them before the first write.
  // A failure (the file busy beyond the short timeout) is not kept: the next write tries again.
  c.ready ??= (dbProvider() === "sqlite" ? applySqliteSettings(c.writable, c) : Promise.resolve()).catch(
    (error: unknown) => {
      c.ready = undefined;
      throw error;
    },
  );
  await c.ready;
  return c.writable;
}

/**
 * Waits until the SQLite checkpoint thread has copied the whole write-ahead log into the database file
 * (no-op on PostgreSQL, or before the first write started the thread). Bulk loaders and their tests use
 * it to let the log restart between batches instead of outrunning the thread.
 */
export async function sqliteCheckpointCaughtUp(timeoutMs?: number): Promise<void> {
  await globalForDb.apiledgerDb?.checkpointer?.caughtUp(timeoutMs);
}

/**
 * Rows of one SELECT read through the driver (lib/db/driver-read.ts), for reads every REST call makes:
 * rows as `db.$queryRawUnsafe` gives them for text, time and flag columns (lib/db/driver-read.ts), without its per-call work.
 * Arguments are bound, never spliced into the text.
 * @internal Only lib/rest/authenticate.ts and lib/apis/queries.ts may use this (enforced by lib/db/client.test.ts).
 */
export function readRows<T>(sql: string, args: readonly DriverValue[] = []): Promise<T[]> {
  refuseInsideWrite("readRows");
  return clients()
    .reader.rows<T>(sql, args)
    .catch((error: unknown) => {
      throw asFaultError(error) ?? error;
    });
}

/** Closes the connections (CLI commands and tests end with this). */
export async function disconnectDb(): Promise<void> {
  const c = globalForDb.apiledgerDb;
  globalForDb.apiledgerDb = undefined;
  await c?.reader.close();
  await c?.checkpointer?.stop();
  await c?.writable.$disconnect();
}
