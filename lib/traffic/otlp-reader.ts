import "server-only";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { AppError } from "@/lib/errors";
import { sourceWorker } from "@/lib/runtime/source-worker";
import { ReadBatch } from "@/lib/traffic/ingest-traffic";
import type { OtlpEncoding } from "@/lib/traffic/otlp-protobuf";
import type { OtlpSignal } from "@/lib/traffic/otlp-records";
import type { OtlpReadJob, OtlpReadMessage } from "@/lib/traffic/read-otlp.worker";

// OTLP/HTTP bodies are read on worker threads (lib/traffic/read-otlp.worker.ts): parsing, reading each
// record through the semantic conventions and keying it cost about as much of the server's thread as
// storing the batch (measured), and on a thread of their own one batch is read while the one before it
// is stored. The server's thread takes back only the readings and keys (a structured copy), never the
// request's whole OTLP tree. One thread on a 2-core machine, two at most: the server's thread and the
// database need the rest.

const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));
/** A worker's own heap: a 32 MB body of 10,000 records parses in a fraction of it. */
const LIMITS = { maxOldGenerationSizeMb: 512 };

type Pending = { resolve: (batch: ReadBatch) => void; reject: (error: Error) => void };
type Slot = { worker: Worker; jobs: Map<number, Pending> };
const pool: Slot[] = [];
let nextId = 1;

function spawn(): Slot {
  const slot: Slot = {
    worker: sourceWorker(import.meta.url, "otlp-reader.ts", "read-otlp.worker.ts", { resourceLimits: LIMITS }),
    jobs: new Map(),
  };
  slot.worker.unref();
  slot.worker.on("message", (message: OtlpReadMessage) => {
    const job = slot.jobs.get(message.id);
    if (!job) return;
    slot.jobs.delete(message.id);
    if ("error" in message) {
      const { appError, message: text } = message.error;
      job.reject(appError ? new AppError(appError.code, text, appError.fieldErrors) : new Error(text));
    } else job.resolve(new ReadBatch(message.received, message.keyed));
  });
  // A worker that dies (out of its heap on a hostile body) fails its own batches; the next gets a new one.
  const lost = (error: Error) => {
    const i = pool.indexOf(slot);
    if (i >= 0) pool.splice(i, 1);
    for (const job of slot.jobs.values()) job.reject(error);
    slot.jobs.clear();
  };
  slot.worker.on("error", lost);
  slot.worker.on("exit", (code) => lost(new Error(`OTLP reading thread exited (${code})`)));
  pool.push(slot);
  return slot;
}

/**
 * An OTLP/HTTP request body's log records or spans, read and keyed as of `now` on a worker thread. Each
 * job goes to the least busy thread; a thread works through its jobs in turn.
 */
export function readOtlpBatch(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  body: Uint8Array,
  now: Date,
  limits: OtlpReadJob["limits"],
): Promise<ReadBatch> {
  const slot =
    pool.length < POOL_SIZE
      ? spawn()
      : pool.reduce((least, s) => (s.jobs.size < least.jobs.size ? s : least), pool[0]!);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    slot.jobs.set(id, { resolve, reject });
    // The body's bytes are copied to the thread as they are (a memory copy).
    slot.worker.postMessage({ id, signal, encoding, body, now: now.getTime(), limits } satisfies OtlpReadJob);
  });
}
