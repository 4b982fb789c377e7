// The thread that writes a bundle's authentication events (data/auth-events.csv and .json, deflated
// into scratch files the archive copies when it reaches them) while the export's main thread builds the
// rest of the bundle: a million events were half of the export's work, and on one thread the export
// used one core of two. It reads through its own read-only connection, in one snapshot, a page at a
// time, writing each page before it reads the next. It imports no server module: only the drivers,
// the database URL rules, the row text and the deflating (lib/evidence/event-rows.ts starts it).
import { once } from "node:events";
import type { Writable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import pg from "pg";
import { csvCell } from "@/lib/csv/csv-writer";
import { providerOf, sqlitePath } from "@/lib/db/db-url";
import { deflateToFile, type DeflatedFile } from "@/lib/evidence/deflate-file";
import { ByteChunks, eventRows, jsonKeys, rowText } from "@/lib/evidence/row-text";

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

/**
 * Pages in the order received (event ids sort by arrival), paged by the primary key alone: one index
 * range per page at a million rows. SQLite's values come back as the adapter stored them (dates as
 * text ending "+00:00"), which eventRows completes.
 */
function* sqlitePages(input: EventRowsInput): Generator<string[][]> {
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
    let rows = firstPage.all(...params) as string[][];
    for (;;) {
      if (rows.length) yield rows;
      if (rows.length < PAGE) break;
      rows = nextPage.all(...params, rows[rows.length - 1]![0]) as string[][];
    }
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
    const after = `$${params.length + 1}`;
    const select = `SELECT "id", to_char("at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), "apiId", "clientId", "principal", "outcome", "sourceIp", "method", "route" FROM "AuthEvent" WHERE "at" >= $1::timestamp AND "at" < $2::timestamp${byApi}`;
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    let last: string | null = null;
    for (;;) {
      const { rows }: { rows: string[][] } = await client.query({
        text: `${select}${last !== null ? ` AND "id" > ${after}` : ""} ORDER BY "id" LIMIT ${PAGE}`,
        values: last !== null ? [...params, last] : params,
        rowMode: "array",
      });
      if (rows.length) yield rows;
      if (rows.length < PAGE) break;
      last = rows[rows.length - 1]![0]!;
    }
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

/** The same framing as csvAndJson (lib/evidence/table.ts) gives every other data file. */
async function run(input: EventRowsInput): Promise<EventRowsResult> {
  const csv = deflateToFile(input.csvFile);
  const json = deflateToFile(input.jsonFile);
  const write = async (to: Writable, chunk: Buffer) => {
    if (!to.write(chunk)) await once(to, "drain");
  };
  const keys = jsonKeys(input.columns);
  const csvText = new ByteChunks();
  const jsonText = new ByteChunks();
  let rows = 0;
  try {
    csvText.add(`${input.columns.map(csvCell).join(",")}\r\n`);
    jsonText.add("[");
    const pages = providerOf(input.url) === "sqlite" ? sqlitePages(input) : postgresPages(input);
    for await (const page of pages)
      for (const cells of eventRows(page)) {
        // No async step per row: only when a chunk is full.
        const [line, object] = rowText(keys, cells, rows++ === 0);
        const csvChunk = csvText.add(line);
        if (csvChunk) await write(csv.input, csvChunk);
        const jsonChunk = jsonText.add(object);
        if (jsonChunk) await write(json.input, jsonChunk);
      }
    jsonText.add(`${rows ? "\n" : ""}]\n`);
    await write(csv.input, csvText.take());
    await write(json.input, jsonText.take());
  } catch (error) {
    csv.input.destroy(error as Error);
    json.input.destroy(error as Error);
    throw error;
  }
  csv.input.end();
  json.input.end();
  return { rows, csv: await csv.done, json: await json.done };
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
