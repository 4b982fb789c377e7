import "server-only";
import type { Tx } from "@/lib/audit/authorized-write";
import type { DbProvider } from "@/lib/db-url";

type Value = string | number | boolean | Date | null;

/**
 * Multi-row INSERT for bulk writes inside authorizedWrite. Prisma's createMany spends about 0.6 ms of
 * JavaScript per row (measured on 45-column API rows), which makes a 50,000-API import take minutes;
 * one parameterised statement per batch takes a fraction of that. Values are stored the way Prisma
 * stores them, so Prisma reads them back unchanged: on SQLite dates as ISO text and booleans as 0/1.
 */
export async function bulkInsert(tx: Tx, provider: DbProvider, table: string, rows: Record<string, Value>[]): Promise<void> {
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
  if (value instanceof Date) return provider === "sqlite" ? value.toISOString().replace("Z", "+00:00") : value;
  if (typeof value === "boolean") return provider === "sqlite" ? (value ? 1 : 0) : value;
  return value;
}

export type ColumnType = "text" | "timestamp";

/**
 * Bulk INSERT that sends the whole batch as one JSON text instead of one parameter per cell: a
 * json_to_recordset on PostgreSQL, a json_each on SQLite. The driver adapters' cost is per parameter
 * (and per array element), so for narrow rows in the tens of thousands (authentication events) this
 * is several times faster than multi-row VALUES. Rows are tuples in the order of `columns`, timestamps
 * as ISO 8601 UTC text ("…T09:30:00.000Z", as Date#toISOString writes it): turning Dates into text
 * inside JSON.stringify cost more than the rest of the serialisation (measured). A caller that already
 * has the rows as JSON (to fingerprint them) passes it to save serialising twice.
 */
export async function bulkInsertColumns(tx: Tx, provider: DbProvider, table: string, columns: [name: string, type: ColumnType][], rows: (string | null)[][], rowsJson?: string): Promise<void> {
  if (rows.length === 0) return;
  const quoted = columns.map(([c]) => `"${c.replace(/"/g, '""')}"`);
  if (provider === "postgres") {
    // Objects keyed by column index: json_to_recordset matches keys to the record's column names (it
    // reads objects faster than json_array_elements reads arrays). Built by a plain loop, which is a
    // third of the cost of Object.fromEntries at 10,000 rows (measured).
    const keys = columns.map((_, i) => `c${i}`);
    const json = JSON.stringify(
      rows.map((r) => {
        const row: Record<string, string | null> = {};
        for (let i = 0; i < keys.length; i++) row[keys[i]!] = r[i] ?? null;
        return row;
      }),
    );
    const record = columns.map(([, type], i) => `"c${i}" ${type === "timestamp" ? "timestamptz" : "text"}`).join(", ");
    const values = columns.map(([, type], i) => (type === "timestamp" ? `"c${i}" AT TIME ZONE 'UTC'` : `"c${i}"`)).join(", ");
    await tx.$executeRawUnsafe(`INSERT INTO "${table}" (${quoted.join(", ")}) SELECT ${values} FROM json_to_recordset($1::json) AS x(${record})`, json);
    return;
  }
  // Prisma keeps SQLite dates as text ending "+00:00" (see encode above); the conversion is SQL's.
  const values = columns.map(([, type], i) => (type === "timestamp" ? `replace(json_extract(value, '$[${i}]'), 'Z', '+00:00')` : `json_extract(value, '$[${i}]')`));
  await tx.$executeRawUnsafe(`INSERT INTO "${table}" (${quoted.join(", ")}) SELECT ${values.join(", ")} FROM json_each(?)`, rowsJson ?? JSON.stringify(rows));
}
