import "server-only";
import { stringify } from "csv-stringify/sync";
import type { EvidenceScope } from "@/lib/evidence/scope";

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** One data file of the bundle, written as both `data/<name>.csv` and `data/<name>.json` with the same rows. */
export type Table = {
  name: string;
  title: string;
  /** What the rows are, for index.html. */
  description: string;
  columns: readonly string[];
  /** Rows in a stable order (the same data gives the same bytes), read page by page. */
  rows: () => AsyncIterable<Row>;
};

/** What every table query needs: the scope, the snapshot time and who is who. */
export type TableContext = {
  scope: EvidenceScope;
  now: Date;
  /** The APIs the scope's team or API filter picks, or null when it picks every API. */
  apiIds: string[] | null;
  people: Map<string, { email: string; name: string }>;
  /** The audit-log entry the bundle reflects (see auditHeadFor), or null for an empty log. */
  auditHead: { seq: number; hash: string } | null;
};

const PAGE = 2000;

/** Keyset paging by a unique, ordered key, so a million rows never sit in memory at once. */
export async function* paged<T>(fetchPage: (after: T | null, take: number) => Promise<T[]>): AsyncIterable<T> {
  let after: T | null = null;
  for (;;) {
    const page = await fetchPage(after, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!;
  }
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const day = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);
export const emailOf = (ctx: TableContext, id: string | null | undefined): string | null => (id ? (ctx.people.get(id)?.email ?? `deleted user ${id}`) : null);

export async function* csvOf(table: Table): AsyncIterable<string> {
  yield stringify([table.columns as string[]]);
  let batch: Cell[][] = [];
  for await (const row of table.rows()) {
    batch.push(table.columns.map((c) => row[c] ?? null));
    if (batch.length === PAGE) {
      yield stringify(batch, { cast: { boolean: (v) => (v ? "true" : "false") } });
      batch = [];
    }
  }
  if (batch.length) yield stringify(batch, { cast: { boolean: (v) => (v ? "true" : "false") } });
}

/** A JSON array, one row per line, keys in the table's column order. */
export async function* jsonOf(table: Table, count: { rows: number }): AsyncIterable<string> {
  yield "[";
  let first = true;
  let chunk = "";
  for await (const row of table.rows()) {
    const ordered: Row = {};
    for (const c of table.columns) ordered[c] = row[c] ?? null;
    chunk += `${first ? "\n" : ",\n"}${JSON.stringify(ordered)}`;
    first = false;
    count.rows++;
    if (chunk.length > 256 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  yield `${chunk}${first ? "" : "\n"}]\n`;
}
