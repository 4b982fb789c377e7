import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Tx } from "@/lib/db/client";
import type { DbProvider } from "@/lib/db/db-url";
import { boundDate, transactionConnection } from "@/lib/db/client";
import { yieldToEventLoop } from "@/lib/runtime/event-loop";

type Value = string | number | boolean | Date | null;

/**
 * Multi-row INSERT for bulk writes inside authorizedWrite. Prisma's createMany spends about 0.6 ms of
 * JavaScript per row (measured on 45-column API rows), which makes a 50,000-API import take minutes;
 * one parameterised statement per batch takes a fraction of that. Values are stored the way Prisma
 * stores them, so Prisma reads them back unchanged: on SQLite dates as ISO text and booleans as 0/1.
 */
export async function bulkInsert(
  tx: Tx,
  provider: DbProvider,
  table: string,
  rows: Record<string, Value>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const quoted = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(", ");
  const maxParams = provider === "sqlite" ? 32_000 : 60_000;
  const perBatch = Math.max(1, Math.floor(maxParams / columns.length));
  for (let start = 0; start < rows.length; start += perBatch) {
    const batch = rows.slice(start, start + perBatch);
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const marks = columns.map((column) => {
        values.push(encode(row[column] ?? null, provider));
        return provider === "sqlite" ? "?" : `$${values.length}`;
      });
      return `(${marks.join(", ")})`;
    });
    await tx.$executeRawUnsafe(`INSERT INTO "${table}" (${quoted}) VALUES ${tuples.join(", ")}`, ...values);
  }
}

function encode(value: Value, provider: DbProvider): unknown {
  if (value instanceof Date) return boundDate(value, provider);
  if (typeof value === "boolean") return provider === "sqlite" ? (value ? 1 : 0) : value;
  return value;
}

export type ColumnType = "text" | "timestamp";
type Columns = [name: string, type: ColumnType][];

/**
 * Bulk INSERT for tens of thousands of narrow rows (authentication events). On PostgreSQL the rows go
 * in by COPY on the transaction's own connection (half the server time of any INSERT form, measured),
 * or, where that connection cannot be reached, as one JSON text; on SQLite as one JSON text read by
 * json_each. The driver adapters' cost is per parameter (and per array element), so either is several
 * times faster than multi-row VALUES. Rows are tuples in the order of `columns`, timestamps as ISO 8601
 * UTC text ("…T09:30:00.000Z", as Date#toISOString writes it): turning Dates into text inside
 * JSON.stringify cost more than the rest of the serialisation (measured). A caller that already has
 * the rows as JSON (to fingerprint them) passes it to save serialising twice.
 */
/** Rows per SQLite statement (about 5 ms of events each): fewer statements, each short enough to hand the loop back. */
const SQLITE_SLICE = 1000;

export async function bulkInsertColumns(
  tx: Tx,
  provider: DbProvider,
  table: string,
  columns: Columns,
  rows: (string | null)[][],
  rowsJson?: string,
): Promise<void> {
  if (rows.length === 0) return;
  if (provider === "sqlite") {
    // Prisma keeps SQLite dates as text ending "+00:00" (see encode above); the conversion is SQL's.
    const values = columns.map(([, type], i) =>
      type === "timestamp"
        ? `replace(json_extract(value, '$[${i}]'), 'Z', '+00:00')`
        : `json_extract(value, '$[${i}]')`,
    );
    const sql = `INSERT INTO "${table}" (${quotedNames(columns)}) SELECT ${values.join(", ")} FROM json_each(?)`;
    // better-sqlite3 runs a statement on the event loop's own thread: a big batch goes in slices, with
    // the loop handed back between them so the server keeps answering other requests.
    if (rows.length <= SQLITE_SLICE) {
      await tx.$executeRawUnsafe(sql, rowsJson ?? JSON.stringify(rows));
      return;
    }
    for (let i = 0; i < rows.length; i += SQLITE_SLICE) {
      await tx.$executeRawUnsafe(sql, JSON.stringify(rows.slice(i, i + SQLITE_SLICE)));
      await yieldToEventLoop();
    }
    return;
  }
  const connection = await transactionConnection(tx);
  if (connection) await copyRows(connection, table, columns, rows);
  else await insertJsonRecords(tx, table, columns, rows);
}

/**
 * COPY … FROM STDIN in text format (also the benchmark's driver-only ceiling). Timestamp columns are
 * `timestamp(3)` holding UTC (Prisma's DateTime), which ignores the "Z" of the ISO text, so the stored
 * value is that UTC time.
 */
export async function copyRows(
  connection: pg.ClientBase,
  table: string,
  columns: Columns,
  rows: (string | null)[][],
): Promise<void> {
  let text = "";
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) text += (i ? "\t" : "") + copyField(row[i] ?? null);
    text += "\n";
  }
  await pipeline(
    Readable.from([text]),
    connection.query(copyFrom(`COPY "${table}" (${quotedNames(columns)}) FROM STDIN`)),
  );
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]!) : value;
}

/**
 * PostgreSQL without COPY: objects keyed by column index, read by json_to_recordset (it reads objects
 * faster than json_array_elements reads arrays), built by a plain loop (a third of the cost of
 * Object.fromEntries at 10,000 rows, measured). Exported for its test.
 */
export async function insertJsonRecords(
  tx: Tx,
  table: string,
  columns: Columns,
  rows: (string | null)[][],
): Promise<void> {
  const keys = columns.map((_, i) => `c${i}`);
  const json = JSON.stringify(
    rows.map((r) => {
      const row: Record<string, string | null> = {};
      for (let i = 0; i < keys.length; i++) row[keys[i]!] = r[i] ?? null;
      return row;
    }),
  );
  const record = columns.map(([, type], i) => `"c${i}" ${type === "timestamp" ? "timestamptz" : "text"}`).join(", ");
  const values = columns
    .map(([, type], i) => (type === "timestamp" ? `"c${i}" AT TIME ZONE 'UTC'` : `"c${i}"`))
    .join(", ");
  await tx.$executeRawUnsafe(
    `INSERT INTO "${table}" (${quotedNames(columns)}) SELECT ${values} FROM json_to_recordset($1::json) AS x(${record})`,
    json,
  );
}

function quotedNames(columns: Columns): string {
  return columns.map(([c]) => `"${c.replace(/"/g, '""')}"`).join(", ");
}
