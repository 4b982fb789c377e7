import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseUrl, providerOf } from "@/lib/db/db-url";

/** The advisory lock instances take while they prepare an installation (beside the writers' and the chain's). */
const START_LOCK = 7311210413;

/**
 * Runs `prepare` (is the database empty? seed it) while holding the installation's start lock, so two
 * instances starting at once on one empty PostgreSQL database seed it once: the second waits, then finds
 * it seeded. A session lock on a connection of its own: a process killed while it holds the lock lets go
 * of it with its connection. On SQLite, whose file is one machine's, `prepare` just runs.
 */
export async function whileStarting<T>(prepare: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const url = databaseUrl(env);
  if (providerOf(url) !== "postgres") return prepare();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [START_LOCK]);
    return await prepare();
  } finally {
    await client.end();
  }
}

/** A SQLite file another process holds the write lock of for longer than the start waits. */
export class SqliteFileBusy extends Error {
  constructor(file: string, seconds: number) {
    super(
      `The database file ${file} is in use: another process has held its write lock for ${seconds} s (another ApiLedger server or CLI command on the same file?). Stop that process, or set APILEDGER_DB_WAIT_SECONDS to wait longer.`,
    );
    this.name = "SqliteFileBusy";
  }
}

/**
 * Before migrations on SQLite: waits up to `seconds` for the file's write lock, then lets go of it.
 * Prisma's schema engine does not wait for a busy file — it fails after 10 s with a WASM_ERROR about an
 * "unknown variant SocketTimeout" — so `npm start` waits here first and says in words which file is busy
 * (SqliteFileBusy). A file that does not exist yet is not busy.
 */
export function waitForSqliteFile(file: string, seconds: number): void {
  if (!fs.existsSync(file)) return;
  const connection = new Database(file, { timeout: seconds * 1000 });
  try {
    connection.exec("BEGIN IMMEDIATE");
    connection.exec("ROLLBACK");
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) throw new SqliteFileBusy(file, seconds);
    throw error;
  } finally {
    connection.close();
  }
}

/** How long `npm start` waits for a busy SQLite file (APILEDGER_DB_WAIT_SECONDS, default 60). */
export function dbWaitSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.APILEDGER_DB_WAIT_SECONDS ?? 60);
  return Number.isFinite(n) && n >= 0 ? n : 60;
}

/**
 * The migrations in `dir` (their folder names, in order) not yet applied to the SQLite file, and those of
 * them that were begun and failed; null for a file that does not exist or has no migrations table yet.
 * Read without a lock of its own, so a second server on a file a running one has open can tell there is
 * nothing to do: Prisma's schema engine takes the file for itself (locking_mode EXCLUSIVE) even when no
 * migration is pending, which it cannot have while another process has the file open. While the engine
 * has it (another process migrating), waits up to `seconds`, then says so (SqliteFileBusy).
 */
export function pendingSqliteMigrations(
  file: string,
  dir: string,
  seconds = 5,
): { pending: string[]; failed: string[] } | null {
  if (!fs.existsSync(file)) return null;
  let connection: Database.Database;
  try {
    connection = new Database(file, { timeout: seconds * 1000, fileMustExist: true });
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_CANTOPEN") return null;
    throw error;
  }
  try {
    const table = connection
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    if (!table) return null;
    const rows = connection
      .prepare(
        'SELECT "migration_name" AS name, "finished_at" AS finished, "rolled_back_at" AS rolledBack FROM "_prisma_migrations"',
      )
      .all() as { name: string; finished: unknown; rolledBack: unknown }[];
    const applied = new Set(rows.filter((r) => r.finished !== null && r.rolledBack === null).map((r) => r.name));
    const failed = new Set(rows.filter((r) => r.finished === null && r.rolledBack === null).map((r) => r.name));
    const pending = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
      .map((d) => d.name)
      .filter((name) => !applied.has(name))
      .sort();
    return { pending, failed: pending.filter((name) => failed.has(name)) };
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) throw new SqliteFileBusy(file, seconds);
    throw error;
  } finally {
    connection.close();
  }
}

/** Another process has the SQLite file open (so it cannot be had alone, as migrations need it). */
export function sqliteFileOpenElsewhere(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const connection = new Database(file, { timeout: 0, fileMustExist: true });
  try {
    connection.pragma("locking_mode = EXCLUSIVE");
    connection.exec("BEGIN EXCLUSIVE");
    connection.prepare("SELECT count(*) FROM sqlite_master").get();
    connection.exec("ROLLBACK");
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) return true;
    throw error;
  } finally {
    connection.close();
  }
}

/** Migrations wait for a SQLite file that another process has open. */
export class SqliteFileShared extends Error {
  constructor(file: string, pending: string[]) {
    super(
      `${pending.length} migration${pending.length === 1 ? "" : "s"} (${pending.at(-1)}${pending.length > 1 ? " and earlier" : ""}) must be applied to the database file ${file}, and another process has it open (another ApiLedger server?). SQLite applies migrations only with the file to itself: stop the other processes on this file, start one to apply them, then start the rest.`,
    );
    this.name = "SqliteFileShared";
  }
}
