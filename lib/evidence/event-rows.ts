import "server-only";
import fs from "node:fs";
import v8 from "node:v8";
import type { Worker, WorkerOptions } from "node:worker_threads";
import { sourceWorker, unbundledWorker } from "@/lib/runtime/source-worker";
import type { EventRowsInput, EventRowsMessage, EventRowsResult } from "@/lib/evidence/event-rows.worker";

export type { EventRowsResult };

/** A data file pair written off the main thread: its result when done, and a way to stop it early. */
export type BackgroundTable = { done: Promise<EventRowsResult>; stop: () => Promise<void> };

// The worker's own heap: nothing lives long (a million events in under 10 MB of old generation), and a
// young generation large enough that the garbage of each chunk dies there (at 12 MB the worker spent
// twice as long collecting; measured on a million events).
const LIMITS: WorkerOptions["resourceLimits"] = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 48 };

let builtWorker: string | null = null;

/**
 * For `npm run evidence:export`, which runs as one file bundled by esbuild: the worker bundled beside it.
 * Everywhere else (the web server, tests) the worker is the TypeScript source beside this file, run
 * with tsx's loader: the server runs under tsx too (`npm start`), and its bundler gives this module the
 * source's own URL.
 */
export function useBuiltEventWorker(file: string): void {
  if (fs.existsSync(file)) builtWorker = file;
}

function startWorker(input: EventRowsInput): Worker {
  // A --max-semi-space-size flag (the command's, which keeps the main thread's young generation small)
  // would apply to the worker's heap too and override LIMITS: cleared, it applies to heaps made from
  // now on only, so the worker gets LIMITS and the main thread keeps its own.
  v8.setFlagsFromString("--max-semi-space-size=0");
  const options: WorkerOptions = { workerData: input, resourceLimits: LIMITS };
  if (builtWorker) return unbundledWorker(builtWorker, options);
  return sourceWorker(import.meta.url, "event-rows.ts", "event-rows.worker.ts", options);
}

/**
 * Starts writing the period's authentication events on a worker thread (lib/evidence/event-rows.worker.ts),
 * so they are written while this thread builds the rest of the bundle. `done` rejects with the worker's
 * error; `stop` ends it (the export failed elsewhere, or finished).
 */
export function writeEventTable(input: EventRowsInput): BackgroundTable {
  const worker = startWorker(input);
  const done = new Promise<EventRowsResult>((resolve, reject) => {
    worker.on("message", (message: EventRowsMessage) => {
      if ("done" in message) resolve(message.done);
      else reject(Object.assign(new Error(message.error), { stack: message.stack }));
    });
    worker.on("error", reject);
    worker.on("exit", (code) =>
      reject(new Error(`The thread writing the authentication events stopped (exit code ${code}).`)),
    );
  });
  // Awaited by the archive's entries; an export that fails before them still stops the worker.
  done.catch(() => {});
  return {
    done,
    stop: async () => {
      await worker.terminate();
    },
  };
}
