import "server-only";
import Database from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "@/lib/db/db-url";
import { isReadOnlySql } from "@/lib/db/read-only-sql";
import { viaPgBouncer } from "@/lib/db/statement-names";

// Reads straight through the database driver, for the few reads every REST call makes (the token and the
// list page's rows). Through the model client, each one is compiled, run by its interpreter and every
// cell mapped twice: on SQLite a 50-row page of the inventory cost 1.3 ms that way against 0.5 ms here,
// and the adapter prepares each statement again on every call. Here a statement is prepared once and
// kept (SQLite), or sent as a named statement (PostgreSQL, as the model client's own are).
//
// Rows come back as the model client gives them: DateTime columns as Date, Boolean columns as boolean.
// The database itself refuses any write sent this way: SQLite reads run on a read-only connection of
// their own (in WAL mode it reads the last commit without waiting for a writer), PostgreSQL reads on a
// small pool of their own whose sessions are read-only (default_transaction_read_only), which also
// refuses what a text check lets through (a WITH holding a DELETE, SELECT … INTO, nextval()).

export type DriverValue = string | number | null;

export type DriverReader = {
  rows<T>(sql: string, args: readonly DriverValue[]): Promise<T[]>;
  close(): Promise<void>;
};

/** Statements kept per connection: the hot reads are a handful of texts (an IN list per page length). */
export const MAX_CACHED_STATEMENTS = 128;

type Convert = ((v: unknown) => unknown) | null;

/** SQLite's stored time: Prisma's ISO text ("…T09:30:00.000+00:00"), CURRENT_TIMESTAMP's UTC text, or epoch ms. */
function sqliteDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "bigint") return new Date(Number(v));
  const text = String(v);
  return new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(text) ? `${text.replace(" ", "T")}Z` : text);
}

const sqliteBoolean = (v: unknown) => (v === null ? null : v === 1 || v === 1n || v === true);

function converterFor(declared: string | null): Convert {
  switch ((declared ?? "").toUpperCase()) {
    case "DATETIME":
    case "TIMESTAMP":
      return sqliteDate;
    case "BOOLEAN":
      return sqliteBoolean;
    default:
      return null;
  }
}

type Prepared = { statement: Database.Statement; names: string[]; convert: Convert[] };

/** A read-only SQLite connection with a bounded statement cache (oldest text dropped first). */
function sqliteReader(url: string, cacheMb: number): DriverReader {
  let connection: Database.Database | null = null;
  const cache = new Map<string, Prepared>();
  const open = () => {
    if (!connection) {
      connection = new Database(sqlitePath(url), { readonly: true, fileMustExist: true, timeout: 5000 });
      // The writer's page cache size: with SQLite's default 2 MB a page of a large inventory is read from
      // the file again on most calls.
      connection.pragma(`cache_size = -${cacheMb * 1024}`);
    }
    return connection;
  };
  const prepare = (sql: string): Prepared => {
    let found = cache.get(sql);
    if (!found) {
      const statement = open().prepare(sql);
      if (!statement.reader) throw new Error("Driver reads run only statements that return rows.");
      statement.raw(true);
      const columns = statement.columns();
      found = { statement, names: columns.map((c) => c.name), convert: columns.map((c) => converterFor(c.type)) };
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
      cache.set(sql, found);
    }
    return found;
  };
  return {
    async rows<T>(sql: string, args: readonly DriverValue[]) {
      const { statement, names, convert } = prepare(sql);
      const raw = statement.all(...args) as unknown[][];
      const out: Record<string, unknown>[] = new Array(raw.length);
      for (let r = 0; r < raw.length; r++) {
        const values = raw[r]!;
        const row: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) {
          const f = convert[c];
          row[names[c]!] = f ? f(values[c]) : values[c];
        }
        out[r] = row;
      }
      return out as T[];
    },
    async close() {
      cache.clear();
      connection?.close();
      connection = null;
    },
  };
}

// PostgreSQL's "timestamp" (without time zone, as Prisma's DateTime maps) holds UTC: pg would read it as
// local time. Every other type as pg reads it.
const TIMESTAMP_OID = 1114;
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID
      ? (text: string) => new Date(`${text.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * PostgreSQL: read-only sessions, half as many as the model client's pool (a read is one short statement);
 * a text sent often becomes a named statement, as the model client's do. Behind PgBouncer (Prisma's
 * `pgbouncer=true` flag) a session setting would reach other clients of the pooled connection, and PgBouncer
 * refuses it as a start-up parameter: there the text check alone stands, as for `db`'s raw reads.
 */
function postgresReader(url: string, poolSize: number, name: (query: { sql: string }) => string): DriverReader {
  const pooled = viaPgBouncer(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: Math.max(2, Math.ceil(poolSize / 2)),
    ...(pooled ? {} : { options: "-c default_transaction_read_only=on" }),
  });
  // An idle connection that drops (the database restarted) is replaced by the pool; never a crash.
  pool.on("error", () => {});
  return {
    async rows<T>(sql: string, args: readonly DriverValue[]) {
      if (pooled && !isReadOnlySql(sql)) throw new Error("Driver reads run one SELECT statement and never write.");
      const result = await pool.query({ name: name({ sql }) || undefined, text: sql, values: [...args], types: TYPES });
      return result.rows as T[];
    },
    close: () => pool.end(),
  };
}

export function createDriverReader(
  url: string,
  postgres: { poolSize: number; name: (query: { sql: string }) => string } | null,
  sqliteCacheMb: number,
): DriverReader {
  return postgres ? postgresReader(url, postgres.poolSize, postgres.name) : sqliteReader(url, sqliteCacheMb);
}
