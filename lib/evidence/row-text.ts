// A data file's rows as text: each row one CSV line and one JSON object, keys in column order.
import { csvCell } from "@/lib/csv/csv-writer";
import { eventOrigin } from "@/lib/events/event-id";

export type Cell = string | number | boolean | null;

/** Each column's JSON key with what goes before it: `{"a":` for the first, `,"b":` after. */
export const jsonKeys = (columns: readonly string[]) => columns.map((c, i) => `${i ? "," : "{"}${JSON.stringify(c)}:`);

/** One row as a CSV line (CRLF) and a JSON object, the object preceded by ",\n", or "\n" for the first row. */
export function rowText(keys: readonly string[], cells: readonly Cell[], first: boolean): [string, string] {
  let line = "";
  let object = first ? "\n" : ",\n";
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i] ?? null;
    line += i ? `,${csvCell(v)}` : csvCell(v);
    object += keys[i] + (v === null ? "null" : typeof v === "string" ? JSON.stringify(v) : String(v));
  }
  return [`${line}\r\n`, `${object}}`];
}

/** A page of rows as one CSV text and one JSON text, each row's lines joined once. */
export function pageText(keys: readonly string[], rows: readonly (readonly Cell[])[], first: boolean) {
  const lines = new Array<string>(rows.length);
  const objects = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) [lines[r], objects[r]] = rowText(keys, rows[r]!, first && r === 0);
  return { csv: lines.join(""), json: objects.join("") };
}

/** An event id's counter within its batch (characters 10 to 13), checked in place. */
const COUNTER = /[0-9a-z]{4}/y;

/**
 * A page of authentication events as the database returns it (a JSON array of [id, at, apiId, clientId,
 * principal, outcome, sourceIp, method, route]) completed into the bundle's rows: the time as
 * Date#toISOString writes it (SQLite returns the adapter's "+00:00" text) and the receive time from
 * the id (blank for an id from before ids carried it), worked out once per batch.
 */
export function eventRows(text: string): string[][] {
  const rows = JSON.parse(text) as string[][];
  let time = "";
  let tail = "";
  let receivedAt = "";
  for (const e of rows) {
    const at = e[1]!;
    if (!at.endsWith("Z")) e[1] = at.endsWith("+00:00") ? `${at.slice(0, -6)}Z` : new Date(at).toISOString();
    const id = e[0]!;
    COUNTER.lastIndex = 9;
    const sameBatch = time && id.length === 25 && id.startsWith(time) && id.endsWith(tail) && COUNTER.test(id);
    if (!sameBatch) {
      const origin = eventOrigin(id);
      time = origin ? id.slice(0, 9) : "";
      tail = origin ? id.slice(13) : "";
      receivedAt = origin?.receivedAt.toISOString() ?? "";
    }
    e.push(receivedAt);
  }
  return rows;
}

/** A page of events (as eventRows reads it) as CSV and JSON text, with its number of rows. */
export function eventPageText(keys: readonly string[], text: string, first: boolean) {
  const rows = eventRows(text);
  return { ...pageText(keys, rows, first), rows: rows.length };
}
