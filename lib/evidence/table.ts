import "server-only";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { EvidenceScope } from "@/lib/evidence/scope";
import { csvCell } from "@/lib/csv/csv-writer";

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** One data file of the bundle, written as both `data/<name>.csv` and `data/<name>.json` with the same rows. */
export type Table = {
  name: string;
  title: string;
  /** What the rows are, for index.html. */
  description: string;
  columns: readonly string[];
  /**
   * Rows in a stable order (the same data gives the same bytes), read page by page: objects keyed by
   * column, or for the big tables arrays in column order (no object per row to build and collect).
   */
  rows: () => AsyncIterable<Row | Cell[]>;
};

/** What every table query needs: the scope, the snapshot time and who is who. */
export type TableContext = {
  scope: EvidenceScope;
  now: Date;
  /** The APIs the scope's team or API filter picks, or null when it picks every API. */
  apiIds: string[] | null;
  people: Map<string, { email: string; name: string }>;
  /** The audit-log entry the bundle reflects (see auditHeadFor), or null for an empty log. */
  auditHead: { seq: number; hash: string; at: Date } | null;
};

const PAGE = 2000;
/** Pages that load relations: Prisma binds one parameter per parent row, and SQLite allows 999. */
export const RELATION_PAGE = 500;

/** Keyset paging by a unique, ordered key, so a million rows never sit in memory at once. */
export async function* paged<T>(
  fetchPage: (after: T | null, take: number) => Promise<T[]>,
  size = PAGE,
): AsyncIterable<T> {
  let after: T | null = null;
  for (;;) {
    const page = await fetchPage(after, size);
    yield* page;
    if (page.length < size) return;
    after = page[page.length - 1]!;
  }
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const day = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);
export const emailOf = (ctx: TableContext, id: string | null | undefined): string | null =>
  id ? (ctx.people.get(id)?.email ?? `deleted user ${id}`) : null;

const CHUNK = 256 * 1024;

/**
 * Reads the table once and writes both files: the CSV is yielded (into the ZIP entry being written),
 * the JSON array (one row per line, keys in column order) goes to `json`, a temporary file that the
 * next entry copies, so a million rows are read from the database once, not twice. Both are built as
 * strings directly: at a million rows, per-row objects for JSON.stringify were most of the garbage.
 */
export async function* csvAndJson(table: Table, json: Writable, count: { rows: number }): AsyncIterable<string> {
  const write = async (text: string) => {
    if (!json.write(text)) await once(json, "drain");
  };
  const keys = table.columns.map((c, i) => `${i ? "," : "{"}${JSON.stringify(c)}:`);
  let csv = `${table.columns.map(csvCell).join(",")}\r\n`;
  let out = "[";
  for await (const row of table.rows()) {
    const cells = Array.isArray(row) ? row : table.columns.map((c) => row[c] ?? null);
    let line = "";
    let object = "";
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i] ?? null;
      line += i ? `,${csvCell(v)}` : csvCell(v);
      object += keys[i] + (v === null ? "null" : typeof v === "string" ? JSON.stringify(v) : String(v));
    }
    csv += `${line}\r\n`;
    out += `${count.rows ? ",\n" : "\n"}${object}}`;
    count.rows++;
    if (csv.length > CHUNK) {
      yield csv;
      csv = "";
    }
    if (out.length > CHUNK) {
      await write(out);
      out = "";
    }
  }
  await write(`${out}${count.rows ? "\n" : ""}]\n`);
  json.end();
  await finished(json);
  yield csv;
}
