import "server-only";
import type { EvidenceScope } from "@/lib/evidence/scope";
import type { DeflatingFile } from "@/lib/evidence/deflate-file";
import { TableText, type Cell } from "@/lib/evidence/row-text";
import type { BackgroundTable } from "@/lib/evidence/event-rows";

export type Row = Record<string, Cell>;

type TableInfo = {
  name: string;
  title: string;
  /** What the rows are, for index.html. */
  description: string;
  columns: readonly string[];
};

/** A table whose rows are read as the archive reaches it, by csvAndJson. */
export type RowsTable = TableInfo & {
  /**
   * Rows in a stable order (the same data gives the same bytes), read page by page: objects keyed
   * by column, or arrays in column order (no object per row to build and collect).
   */
  rows: () => AsyncIterable<Row | Cell[]>;
};

/**
 * One data file of the bundle, written as both `data/<name>.csv` and `data/<name>.json` with the same
 * rows: read as the archive reaches it, or (the million-event table) written from the start on a
 * worker thread, deflated into `scratch`, while the rest of the bundle is built (lib/evidence/event-rows.ts).
 */
export type Table = RowsTable | (TableInfo & { background: (scratch: string) => BackgroundTable });

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

/**
 * Reads the table once and writes both files: the CSV is yielded (into the ZIP entry being written),
 * the JSON array (one row per line, keys in column order) goes to `json`, a temporary file that the
 * next entry copies, so a million rows are read from the database once, not twice. Both are built as
 * text directly: at a million rows, per-row objects for JSON.stringify were most of the garbage.
 */
export async function* csvAndJson(
  table: RowsTable,
  json: DeflatingFile,
  count: { rows: number },
): AsyncIterable<Buffer> {
  const text = new TableText(table.columns);
  let ended = false;
  try {
    for await (const row of table.rows()) {
      const [csvChunk, jsonChunk] = text.add(Array.isArray(row) ? row : table.columns.map((c) => row[c] ?? null));
      if (csvChunk) yield csvChunk;
      if (jsonChunk) await json.write(jsonChunk);
    }
    const [csvRest, jsonRest] = text.end();
    count.rows = text.rows;
    await json.end(jsonRest);
    ended = true;
    yield csvRest;
  } finally {
    // The twin left unfinished (a failure, or the archive stopped reading: a download cancelled) is
    // stopped, so its file and compressor close now rather than never.
    if (!ended) json.fail(new Error(`The ${table.name} table was not finished.`));
  }
}
