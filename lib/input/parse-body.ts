import "server-only";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { AppError } from "@/lib/errors";
import { jsonBoundsProblem, parseJsonText, type JsonLimits } from "@/lib/input/json-bounds";
import { decodeBody, NOT_UTF8 } from "@/lib/input/text";

// Parsing bodies without stalling the server: every JSON body is first scanned for depth and element
// count (lib/input/json-bounds.ts); bodies over WORKER_THRESHOLD are scanned and parsed in a small pool
// of worker threads, so /api/health and every other request keep being served meanwhile. A parsed value
// comes back as a copy, and the server's thread spends about 5 ms per 1,000 events taking a copy in (a
// 10,000-event batch held it for 35–75 ms, measured): a value with many items comes back in slices of
// SLICE, the next asked for only after the server has had its turn at other requests.
export const WORKER_THRESHOLD = 256 * 1024;
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxElements: 500_000 };
const SLICE = 500;
export const PARSE_NICE = 10;

// ndjson-keep: a line that is not JSON becomes an unreadable record (its text kept) instead of refusing
// the body, for a lenient traffic source's quarantine (lib/traffic/ingest-traffic.ts).
type Kind = "json" | "ndjson" | "ndjson-keep" | "yaml";
/** A body as text, or as the bytes it arrived in (decoded as UTF-8 by the parser, in a worker when large). */
export type Body = string | Uint8Array;
type Outcome = { ok: true; value: unknown } | { ok: false; error: string; line?: number };

// The worker's source: the scanner's own text plus a parse per kind. `eval` workers need no file in the
// build output; `require("yaml")` resolves from the installation's node_modules.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
// Background work: on Linux this thread lowers its own priority (nice ${PARSE_NICE}; /proc/thread-self
// names the thread), so on a busy machine the thread that answers requests gets the processor first.
try {
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(tid, ${PARSE_NICE});
} catch {}
const jsonBoundsProblem = ${jsonBoundsProblem.toString()};
const unreadableLine = ${unreadableLine.toString()};
function run(kind, body, limits) {
  let text = body;
  if (typeof body !== "string") {
    try { text = new TextDecoder("utf-8", { fatal: true }).decode(body); } catch {
      return kind === "yaml" ? { ok: true, value: { docs: [], error: ${JSON.stringify(NOT_UTF8)} } } : { ok: false, error: ${JSON.stringify(NOT_UTF8)} };
    }
  }
  if (kind === "yaml") {
    const parsed = require("yaml").parseAllDocuments(text);
    if (!Array.isArray(parsed)) return { ok: true, value: { docs: [], error: "The file is empty." } };
    const broken = parsed.find((d) => d.errors.length);
    if (broken) return { ok: true, value: { docs: [], error: "The file is not valid YAML: " + broken.errors[0].message.split("\\n")[0] } };
    return { ok: true, value: { docs: parsed.map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined) } };
  }
  // ndjson-keep bounds each line on its own: a broken line must not change how the next is counted.
  const problem = kind === "ndjson-keep" ? null : jsonBoundsProblem(text, limits.maxDepth, limits.maxElements);
  if (problem) return { ok: false, error: "The request body is " + problem + "." };
  if (kind === "json") return { ok: true, value: JSON.parse(text) };
  const lines = text.split("\\n");
  const values = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const lineProblem = kind === "ndjson-keep" ? jsonBoundsProblem(line, limits.maxDepth, limits.maxElements) : null;
    if (lineProblem) { values.push(unreadableLine(i + 1, line, lineProblem)); continue; }
    try { values.push(JSON.parse(line)); } catch {
      if (kind === "ndjson-keep") { values.push(unreadableLine(i + 1, line, "not valid JSON")); continue; }
      return { ok: false, error: "Line " + (i + 1) + " is not valid JSON; nothing was stored.", line: i + 1 };
    }
  }
  return { ok: true, value: values };
}
const SLICE = ${SLICE};
const streams = new Map();
function sendSlice(id, items, from) {
  const to = Math.min(items.length, from + SLICE);
  if (to < items.length) streams.set(id, { items, from: to }); else streams.delete(id);
  parentPort.postMessage({ id, part: items.slice(from, to), last: to >= items.length });
}
parentPort.on("message", (message) => {
  if (message.next) {
    const stream = streams.get(message.id);
    if (stream) sendSlice(message.id, stream.items, stream.from);
    return;
  }
  const { id, kind, body, limits } = message;
  let outcome;
  try { outcome = run(kind, body, limits); } catch (error) {
    const first = String(error && error.message).split("\\n")[0];
    outcome = kind === "yaml" ? { ok: true, value: { docs: [], error: "The file is not valid YAML: " + first } } : { ok: false, error: "The request body is not valid JSON: " + first };
  }
  const value = outcome.ok ? outcome.value : null;
  const items = Array.isArray(value) ? value : value && Array.isArray(value.docs) ? value.docs : null;
  if (!items || items.length <= SLICE) return void parentPort.postMessage({ id, outcome });
  // Many items: the value's shell first, then its items a slice at a time, each when the server asks.
  parentPort.postMessage({ id, outcome: { ok: true, value: Array.isArray(value) ? [] : { ...value, docs: [] } }, streamed: true });
  sendSlice(id, items, 0);
});
`;

type Job = {
  id: number;
  kind: Kind;
  body: Body;
  limits: JsonLimits;
  resolve: (o: Outcome) => void;
  reject: (e: Error) => void;
  /** A value coming back in slices: its shell, and the array the slices go into. */
  streamed?: { outcome: Outcome; items: unknown[] };
};
type WorkerMessage = { id: number; outcome: Outcome; streamed?: true } | { id: number; part: unknown[]; last: boolean };
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));
const pool: { worker: Worker; busy: Job | null }[] = [];
const queue: Job[] = [];
let nextId = 1;

function spawn(): { worker: Worker; busy: Job | null } {
  // A parse that would take more memory than this fails alone instead of taking the server down.
  const slot: { worker: Worker; busy: Job | null } = {
    worker: new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 512 } }),
    busy: null,
  };
  slot.worker.unref();
  const finish = (job: Job, outcome: Outcome) => {
    slot.busy = null;
    job.resolve(outcome);
    pump();
  };
  slot.worker.on("message", (message: WorkerMessage) => {
    const job = slot.busy?.id === message.id ? slot.busy : null;
    if ("part" in message) {
      if (!job) return;
      if (!job.streamed) {
        slot.busy = null;
        job.reject(new Error("parse worker sent a slice before its value"));
        return pump();
      }
      for (const item of message.part) job.streamed.items.push(item);
      if (message.last) return finish(job, job.streamed.outcome);
      // The next slice is asked for once other requests have had their turn.
      setImmediate(() => slot.worker.postMessage({ id: message.id, next: true }));
    } else if (message.streamed && job) {
      const value = (message.outcome as { value: unknown }).value;
      job.streamed = {
        outcome: message.outcome,
        items: Array.isArray(value) ? value : (value as { docs: unknown[] }).docs,
      };
    } else if (job) finish(job, message.outcome);
  });
  const lost = (error: Error) => {
    slot.busy?.reject(error);
    slot.busy = null;
    const i = pool.indexOf(slot);
    if (i >= 0) pool.splice(i, 1);
    pump();
  };
  slot.worker.on("error", lost);
  slot.worker.on("exit", (code) => lost(new Error(`parse worker exited (${code})`)));
  pool.push(slot);
  return slot;
}

function pump(): void {
  while (queue.length) {
    const slot = pool.find((s) => !s.busy) ?? (pool.length < POOL_SIZE ? spawn() : null);
    if (!slot) return;
    const job = queue.shift()!;
    slot.busy = job;
    // Bytes are copied to the worker as they are (a memory copy); text would be serialised character by
    // character, on this thread (20–75 ms for 10 MB, measured), after decoding it here (30 ms more).
    slot.worker.postMessage({ id: job.id, kind: job.kind, body: job.body, limits: job.limits });
  }
}

function inWorker(kind: Kind, body: Body, limits: JsonLimits): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, kind, body, limits, resolve, reject });
    pump();
  });
}

const asText = (body: Body): string => (typeof body === "string" ? body : decodeBody(body));

function unwrap(outcome: Outcome): unknown {
  if (outcome.ok) return outcome.value;
  throw new AppError(
    "VALIDATION",
    outcome.error,
    outcome.line ? { [`line ${outcome.line}`]: ["Not valid JSON."] } : undefined,
  );
}

/** JSON.parse with bounded depth and element count; off the event loop when the text is large. */
export async function parseJsonBounded(body: Body, limits: JsonLimits = DEFAULT_JSON_LIMITS): Promise<unknown> {
  if (body.length > WORKER_THRESHOLD) return unwrap(await inWorker("json", body, limits));
  return parseJsonText(asText(body), limits);
}

/**
 * A line that is not JSON, as lib/input/unreadable.ts's marker (a Map: no parsed record can pose as one),
 * its text kept for the quarantine. Self-contained, not calling unreadable(): the parse worker runs its
 * source too.
 */
function unreadableLine(line: number, text: string, why: string): Map<"reason" | "text", string> {
  return new Map([
    ["reason", "line " + line + " is " + why],
    ["text", text.slice(0, 16384)],
  ]);
}

/**
 * One JSON value per line (NDJSON), bounded like parseJsonBounded. `keep`: a line that is not JSON, or
 * too deep or too large, becomes an unreadable record instead of refusing the body.
 */
export async function parseNdjsonBounded(
  body: Body,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
  badLines: "refuse" | "keep" = "refuse",
): Promise<unknown[]> {
  const kind = badLines === "keep" ? "ndjson-keep" : "ndjson";
  if (body.length > WORKER_THRESHOLD) return unwrap(await inWorker(kind, body, limits)) as unknown[];
  const text = asText(body);
  // Keep mode bounds each line on its own: a broken line must not change how the next is counted.
  const problem = kind === "ndjson-keep" ? null : jsonBoundsProblem(text, limits.maxDepth, limits.maxElements);
  if (problem) throw new AppError("VALIDATION", `The request body is ${problem}.`);
  const values: unknown[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const lineProblem = kind === "ndjson-keep" ? jsonBoundsProblem(line, limits.maxDepth, limits.maxElements) : null;
    if (lineProblem) {
      values.push(unreadableLine(i + 1, line, lineProblem));
      continue;
    }
    try {
      values.push(JSON.parse(line));
    } catch {
      if (kind === "ndjson-keep") {
        values.push(unreadableLine(i + 1, line, "not valid JSON"));
        continue;
      }
      throw new AppError("VALIDATION", `Line ${i + 1} is not valid JSON; nothing was stored.`, {
        [`line ${i + 1}`]: ["Not valid JSON."],
      });
    }
  }
  return values;
}

/**
 * One JSON value, or — when the text is not JSON and has several lines — one value per line, where a
 * line that is not JSON becomes an unreadable record (lib/input/unreadable.ts) instead of refusing the rest.
 */
export async function parseJsonOrLines(body: Body, limits: JsonLimits): Promise<unknown> {
  try {
    return await parseJsonBounded(body, limits);
  } catch (error) {
    const lines = typeof body === "string" ? body.trim().includes("\n") : body.indexOf(10) >= 0;
    if (error instanceof AppError && /not valid JSON/.test(error.message) && lines)
      return parseNdjsonBounded(body, limits, "keep");
    throw error;
  }
}

/** The documents of a YAML stream as plain values (aliases bounded), or the file's error; large files in a worker. */
export async function parseYamlDocuments(body: Body): Promise<{ docs: unknown[]; error?: string }> {
  if (body.length > WORKER_THRESHOLD) {
    const outcome = await inWorker("yaml", body, DEFAULT_JSON_LIMITS);
    if (!outcome.ok) return { docs: [], error: outcome.error };
    return outcome.value as { docs: unknown[]; error?: string };
  }
  let text: string;
  try {
    text = asText(body);
  } catch (error) {
    return { docs: [], error: (error as Error).message };
  }
  const { parseAllDocuments } = await import("yaml");
  try {
    const parsed = parseAllDocuments(text);
    if (!Array.isArray(parsed)) return { docs: [], error: "The file is empty." };
    const broken = parsed.find((d) => d.errors.length);
    if (broken) return { docs: [], error: `The file is not valid YAML: ${broken.errors[0]!.message.split("\n")[0]}` };
    return { docs: parsed.map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined) };
  } catch (error) {
    return { docs: [], error: `The file is not valid YAML: ${(error as Error).message.split("\n")[0]}` };
  }
}
