// The thread that writes a bundle's authentication events (data/auth-events.csv and .json, deflated
// into scratch files the archive copies when it reaches them) while the export's main thread builds the
// rest of the bundle: a million events were half of the export's work, and on one thread the export
// used one core of two. It reads through its own read-only connection, in one snapshot, a page at a
// time, writing each page before it reads the next. It imports no server module: only the drivers,
// the database URL rules, the row text and the deflating (lib/evidence/event-rows.ts starts it).
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import pg from "pg";
import { providerOf, sqlitePath } from "@/lib/db/db-url";
import { deflateToFile, type DeflatedFile } from "@/lib/evidence/deflate-file";
import { eventRows, TableText } from "@/lib/evidence/row-text";

/** What the main thread gives the worker: where the events are, which ones, and where to write them. */
export type EventRowsInput = {
  url: string;
  /** The period, as ISO 8601 UTC text. */
  from: string;
  to: string;
  apiIds: string[] | null;
  columns: string[];
  csvFile: string;
  jsonFile: string;
};

/** Both files written, with their number of rows. */
export type EventRowsResult = { rows: number; csv: DeflatedFile; json: DeflatedFile };

/** What the worker sends once: the files, or why it stopped. */
export type EventRowsMessage = { done: EventRowsResult } | { error: string; stack?: string };

// Small enough to die young in the worker's small heap; large enough that a query per page costs little.
const PAGE = 1000;
const COLUMNS = `"id", "at", "apiId", "clientId", "principal", "outcome", "sourceIp", "method", "route"`;

/** Keyset pages by id (the first column): each after the last id of the one before, until a short page. */
async function* byId(page: (after: string | null) => string[][] | Promise<string[][]>): AsyncGenerator<string[][]> {
  for (let after: string | null = null; ;) {
    const rows = await page(after);
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]![0]!;
  }
}

/**
 * Pages in the order received (event ids sort by arrival), paged by the primary key alone: one index
 * range per page at a million rows. SQLite's values come back as the adapter stored them (dates as
 * text ending "+00:00"), which eventRows completes.
 */
async function* sqlitePages(input: EventRowsInput): AsyncGenerator<string[][]> {
  const file = new Database(sqlitePath(input.url), { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    // A one-pass read needs no large page cache.
    file.pragma("cache_size = -2048");
    const at = (iso: string) => iso.replace("Z", "+00:00");
    const byApi = input.apiIds ? ` AND "apiId" IN (SELECT value FROM json_each(?))` : "";
    const params = [at(input.from), at(input.to), ...(input.apiIds ? [JSON.stringify(input.apiIds)] : [])];
    const where = `WHERE "at" >= ? AND "at" < ?${byApi}`;
    const firstPage = file.prepare(`SELECT ${COLUMNS} FROM "AuthEvent" ${where} ORDER BY "id" LIMIT ${PAGE}`).raw();
    const nextPage = file
      .prepare(`SELECT ${COLUMNS} FROM "AuthEvent" ${where} AND "id" > ? ORDER BY "id" LIMIT ${PAGE}`)
      .raw();
    // One snapshot for every page: WAL readers see the database as of their first read.
    file.exec("BEGIN");
    yield* byId((after) => (after === null ? firstPage.all(...params) : nextPage.all(...params, after)) as string[][]);
    file.exec("COMMIT");
  } finally {
    file.close();
  }
}

/** The same pages on PostgreSQL, in a repeatable-read snapshot; times as Date#toISOString writes them. */
async function* postgresPages(input: EventRowsInput): AsyncGenerator<string[][]> {
  const client = new pg.Client({ connectionString: input.url });
  await client.connect();
  try {
    // Timestamps are UTC without a zone: the "Z" of the ISO text is ignored, so the value is that UTC time.
    const byApi = input.apiIds ? ` AND "apiId" = ANY($3::text[])` : "";
    const params = [input.from, input.to, ...(input.apiIds ? [input.apiIds] : [])];
    const select = `SELECT "id", to_char("at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), "apiId", "clientId", "principal", "outcome", "sourceIp", "method", "route" FROM "AuthEvent" WHERE "at" >= $1::timestamp AND "at" < $2::timestamp${byApi}`;
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    yield* byId(async (after) => {
      const { rows }: { rows: string[][] } = await client.query({
        text: `${select}${after !== null ? ` AND "id" > $${params.length + 1}` : ""} ORDER BY "id" LIMIT ${PAGE}`,
        values: after !== null ? [...params, after] : params,
        rowMode: "array",
      });
      return rows;
    });
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

/** The same files as csvAndJson (lib/evidence/table.ts) writes for every other table. */
async function run(input: EventRowsInput): Promise<EventRowsResult> {
  const csv = deflateToFile(input.csvFile);
  const json = deflateToFile(input.jsonFile);
  const text = new TableText(input.columns);
  try {
    const pages = providerOf(input.url) === "sqlite" ? sqlitePages(input) : postgresPages(input);
    for await (const page of pages)
      for (const cells of eventRows(page)) {
        const [csvChunk, jsonChunk] = text.add(cells);
        if (csvChunk) await csv.write(csvChunk);
        if (jsonChunk) await json.write(jsonChunk);
      }
    const [csvRest, jsonRest] = text.end();
    const [csvFile, jsonFile] = await Promise.all([csv.end(csvRest), json.end(jsonRest)]);
    return { rows: text.rows, csv: csvFile, json: jsonFile };
  } catch (error) {
    csv.fail(error as Error);
    json.fail(error as Error);
    throw error;
  }
}

if (parentPort) {
  const port = parentPort;
  const send = (message: EventRowsMessage) => port.postMessage(message);
  await run(workerData as EventRowsInput).then(
    (done) => send({ done }),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      send({ error: e.message, stack: e.stack });
    },
  );
}
