import "server-only";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { AppError } from "@/lib/errors";
import { jsonBoundsProblem, type JsonLimits } from "@/lib/rest/json-bounds";

// Parsing bodies without stalling the server: every JSON body is first scanned for depth and element
// count (lib/rest/json-bounds.ts); bodies over WORKER_THRESHOLD are scanned and parsed in a small pool
// of worker threads, so /api/health and every other request keep being served meanwhile.
export const WORKER_THRESHOLD = 256 * 1024;
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxElements: 500_000 };

type Kind = "json" | "ndjson" | "yaml";
type Outcome = { ok: true; value: unknown } | { ok: false; error: string; line?: number };

// The worker's source: the scanner's own text plus a parse per kind. `eval` workers need no file in the
// build output; `require("yaml")` resolves from the installation's node_modules.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const jsonBoundsProblem = ${jsonBoundsProblem.toString()};
function run(kind, text, limits) {
  if (kind === "yaml") {
    const parsed = require("yaml").parseAllDocuments(text);
    if (!Array.isArray(parsed)) return { ok: true, value: { docs: [], error: "The file is empty." } };
    const broken = parsed.find((d) => d.errors.length);
    if (broken) return { ok: true, value: { docs: [], error: "The file is not valid YAML: " + broken.errors[0].message.split("\\n")[0] } };
    return { ok: true, value: { docs: parsed.map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined) } };
  }
  const problem = jsonBoundsProblem(text, limits.maxDepth, limits.maxElements);
  if (problem) return { ok: false, error: "The request body is " + problem + "." };
  if (kind === "json") return { ok: true, value: JSON.parse(text) };
  const lines = text.split("\\n");
  const values = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    try { values.push(JSON.parse(line)); } catch { return { ok: false, error: "Line " + (i + 1) + " is not valid JSON; nothing was stored.", line: i + 1 }; }
  }
  return { ok: true, value: values };
}
parentPort.on("message", ({ id, kind, text, limits }) => {
  let outcome;
  try { outcome = run(kind, text, limits); } catch (error) {
    const first = String(error && error.message).split("\\n")[0];
    outcome = kind === "yaml" ? { ok: true, value: { docs: [], error: "The file is not valid YAML: " + first } } : { ok: false, error: "The request body is not valid JSON: " + first };
  }
  parentPort.postMessage({ id, outcome });
});
`;

type Job = {
  id: number;
  kind: Kind;
  text: string;
  limits: JsonLimits;
  resolve: (o: Outcome) => void;
  reject: (e: Error) => void;
};
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
  slot.worker.on("message", ({ id, outcome }: { id: number; outcome: Outcome }) => {
    const job = slot.busy;
    slot.busy = null;
    if (job && job.id === id) job.resolve(outcome);
    pump();
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
    slot.worker.postMessage({ id: job.id, kind: job.kind, text: job.text, limits: job.limits });
  }
}

function inWorker(kind: Kind, text: string, limits: JsonLimits): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, kind, text, limits, resolve, reject });
    pump();
  });
}

function unwrap(outcome: Outcome): unknown {
  if (outcome.ok) return outcome.value;
  throw new AppError(
    "VALIDATION",
    outcome.error,
    outcome.line ? { [`line ${outcome.line}`]: ["Not valid JSON."] } : undefined,
  );
}

/** JSON.parse with bounded depth and element count; off the event loop when the text is large. */
export async function parseJsonBounded(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): Promise<unknown> {
  if (text.length > WORKER_THRESHOLD) return unwrap(await inWorker("json", text, limits));
  const problem = jsonBoundsProblem(text, limits.maxDepth, limits.maxElements);
  if (problem) throw new AppError("VALIDATION", `The request body is ${problem}.`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("VALIDATION", `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** One JSON value per line (NDJSON), bounded like parseJsonBounded. */
export async function parseNdjsonBounded(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): Promise<unknown[]> {
  if (text.length > WORKER_THRESHOLD) return unwrap(await inWorker("ndjson", text, limits)) as unknown[];
  const problem = jsonBoundsProblem(text, limits.maxDepth, limits.maxElements);
  if (problem) throw new AppError("VALIDATION", `The request body is ${problem}.`);
  const values: unknown[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      throw new AppError("VALIDATION", `Line ${i + 1} is not valid JSON; nothing was stored.`, {
        [`line ${i + 1}`]: ["Not valid JSON."],
      });
    }
  }
  return values;
}

/** The documents of a YAML stream as plain values (aliases bounded), or the file's error; large files in a worker. */
export async function parseYamlDocuments(text: string): Promise<{ docs: unknown[]; error?: string }> {
  if (text.length > WORKER_THRESHOLD) {
    const outcome = await inWorker("yaml", text, DEFAULT_JSON_LIMITS);
    if (!outcome.ok) return { docs: [], error: outcome.error };
    return outcome.value as { docs: unknown[]; error?: string };
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
