// A data file's rows as text: each row one CSV line and one JSON object, keys in column order.
import { csvCell } from "@/lib/csv/csv-writer";
import { eventOrigin } from "@/lib/events/event-id";
import { CHUNK } from "@/lib/evidence/deflate-file";

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

/**
 * Text gathered as UTF-8 bytes in chunks of about CHUNK. Each row's text is written into a buffer as
 * it is made: appending rows to one long string and converting that (as before) made V8 flatten a rope
 * of hundreds of thousands of pieces per chunk, which cost more than building the text (measured: 4.3 s
 * of 7.8 s for a million events).
 */
export class ByteChunks {
  private buffer = Buffer.allocUnsafe(CHUNK * 2);
  private used = 0;

  /** Appends the text; returns the chunk it filled, if it did. */
  add(text: string): Buffer | null {
    // A UTF-16 unit is at most 3 bytes of UTF-8, so a text this short always fits.
    if (this.used + text.length * 3 <= this.buffer.length) {
      this.used += this.buffer.write(text, this.used);
      return this.used >= CHUNK ? this.take() : null;
    }
    // A longer text (a single cell of a few hundred KB) goes out with what came before it.
    const chunk = Buffer.concat([this.take(), Buffer.from(text)]);
    return chunk;
  }

  /** What has been gathered, and a fresh buffer for what comes next. */
  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(CHUNK * 2);
    this.used = 0;
    return chunk;
  }
}

/**
 * A table's two files as text, in chunks: the CSV with its header line, and the JSON array of one
 * object per line, keys in column order. The one framing of every data file, on either thread.
 */
export class TableText {
  readonly csv = new ByteChunks();
  readonly json = new ByteChunks();
  rows = 0;
  private readonly keys: string[];

  constructor(columns: readonly string[]) {
    this.keys = jsonKeys(columns);
    this.csv.add(`${columns.map(csvCell).join(",")}\r\n`);
    this.json.add("[");
  }

  /** Adds a row; returns the CSV and JSON chunks it filled, if it did (no async step per row). */
  add(cells: readonly Cell[]): [Buffer | null, Buffer | null] {
    const [line, object] = rowText(this.keys, cells, this.rows++ === 0);
    return [this.csv.add(line), this.json.add(object)];
  }

  /** The rest of both files, the JSON array closed. */
  end(): [Buffer, Buffer] {
    this.json.add(`${this.rows ? "\n" : ""}]\n`);
    return [this.csv.take(), this.json.take()];
  }
}

/** An event id's counter within its batch (characters 10 to 13), checked in place. */
const COUNTER = /[0-9a-z]{4}/y;

/**
 * A page of authentication events as the database returns them ([id, at, apiId, clientId, principal,
 * outcome, sourceIp, method, route], each a text) completed in place into the bundle's rows: the time
 * as Date#toISOString writes it (SQLite returns the adapter's "+00:00" text) and the receive time from
 * the id (blank for an id from before ids carried it), worked out once per batch.
 */
export function eventRows(rows: string[][]): string[][] {
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
