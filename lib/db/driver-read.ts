import "server-only";
import Database from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "@/lib/db/db-url";
import { isReadOnlySql } from "@/lib/db/read-only-sql";

// Reads straight through the database driver, for the few reads every REST call makes (the token and the
// list page's rows). Through the model client, each one is compiled, run by its interpreter and every
// cell mapped twice: on SQLite a 50-row page of the inventory cost 1.3 ms that way against 0.5 ms here,
// and the adapter prepares each statement again on every call. Here a statement is prepared once and
// kept (SQLite), or sent as a named statement (PostgreSQL, as the model client's own are).
//
// Rows come back as the model client's raw query gives them for the column types these reads use: TEXT
// (and enums) as strings, DateTime as Date (SQLite's stored text, PostgreSQL's "timestamp", both UTC),
// Boolean as boolean, NULL as null. Not for other types: integers come back as numbers (never BigInt),
// PostgreSQL's int8 and numeric as strings.
//
// Only one SELECT, never a write: SQLite reads run on a read-only connection of their own (SQLite refuses
// any write on it; in WAL mode it reads the last commit without waiting for a writer). PostgreSQL reads run
// on a small pool of their own, each text checked as `db`'s raw reads are (lib/db/read-only-sql.ts) and
// sent with the extended protocol, which carries exactly one statement. (Read-only sessions through the
// `options` start-up parameter were tried: PgBouncer 1.20+ refuses the connection for a setting it does
// not track, and an `options` in DATABASE_URL silently replaces it.) Only two fixed texts reach it
// (lib/db/client.test.ts); no caller's text ever does.

export type DriverValue = string | number | null;

export type DriverReader = {
  rows<T>(sql: string, args: readonly DriverValue[]): Promise<T[]>;
  close(): Promise<void>;
};

/** Statements kept per connection: the hot reads are a handful of texts (an IN list per page length). */
export const MAX_CACHED_STATEMENTS = 128;

type Convert = ((v: unknown) => unknown) | null;

/**
 * SQLite's stored time: Prisma's ISO text ("…T09:30:00.000+00:00"), CURRENT_TIMESTAMP's "YYYY-MM-DD HH:MM:SS",
 * or epoch ms. A time without a zone is UTC, as Prisma's model client reads it.
 */
export function sqliteDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "bigint") return new Date(Number(v));
  const text = String(v);
  if (!/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d/.test(text) || /(Z|[+-]\d\d(:?\d\d)?)$/i.test(text)) return new Date(text);
  return new Date(`${text.replace(" ", "T")}Z`);
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

/**
 * Rows as objects, built here from the driver's rows as arrays (both drivers): pg's own objects are copies
 * of one template with every column, which cost several times as much to make and to read as these.
 */
function objectRows<T>(raw: readonly unknown[][], names: readonly string[], convert: readonly Convert[]): T[] {
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
      return objectRows<T>(statement.all(...args) as unknown[][], names, convert);
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
/** pg converts each cell itself (TYPES), so its rows need none of objectRows's conversions. */
const NO_CONVERSION: readonly Convert[] = [];
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID
      ? (text: string) => new Date(`${text.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * PostgreSQL: half as many connections as the model client's pool (a read is one short statement); a
 * text sent often becomes a named statement, as the model client's do.
 */
function postgresReader(url: string, poolSize: number, name: (query: { sql: string }) => string): DriverReader {
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, Math.ceil(poolSize / 2)) });
  // An idle connection that drops (the database restarted) is replaced by the pool; never a crash.
  pool.on("error", () => {});
  const checked = new Map<string, boolean>();
  return {
    async rows<T>(sql: string, args: readonly DriverValue[]) {
      let ok = checked.get(sql);
      if (ok === undefined) {
        ok = isReadOnlySql(sql);
        if (checked.size < MAX_CACHED_STATEMENTS) checked.set(sql, ok);
      }
      if (!ok) throw new Error("Driver reads run one SELECT statement and never write.");
      // queryMode is pg's (8.10+), not in its type definitions: without it, a text sent with no values
      // and no name goes by the simple protocol, which runs several statements.
      const query: pg.QueryArrayConfig<DriverValue[]> & { queryMode: "extended" } = {
        name: name({ sql }) || undefined,
        text: sql,
        values: [...args],
        types: TYPES,
        rowMode: "array",
        queryMode: "extended",
      };
      const result = await pool.query<unknown[], DriverValue[]>(query);
      return objectRows<T>(
        result.rows,
        result.fields.map((f) => f.name),
        NO_CONVERSION,
      );
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
