// A thread that reads OTLP/HTTP bodies (lib/traffic/otlp-reader.ts): JSON parsed within its bounds or
// protobuf walked, each log record or span read through the HTTP semantic conventions and keyed, so the
// server's thread gets back only the readings and keys. It imports no server module.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { AppError } from "@/lib/errors";
import { parseJsonText } from "@/lib/input/json-bounds";
import { decodeBody } from "@/lib/input/text";
import { otlpProtobufRecords, type OtlpEncoding } from "@/lib/traffic/otlp-protobuf";
import { otlpRecords, type OtlpSignal } from "@/lib/traffic/otlp-records";
import { readAll, type Keyed } from "@/lib/traffic/read-batch";

export type OtlpReadJob = {
  id: number;
  signal: OtlpSignal;
  encoding: OtlpEncoding;
  body: Uint8Array;
  /** The time the batch is read as of (ms): records after it, past the clock skew allowed, are refused. */
  now: number;
  limits: { maxDepth: number; maxElements: number; maxRecords: number };
};
export type OtlpReadMessage =
  | { id: number; received: number; keyed: Keyed[] }
  | {
      id: number;
      error: { message: string; appError?: { code: AppError["code"]; fieldErrors: AppError["fieldErrors"] } };
    };

async function read(job: OtlpReadJob): Promise<{ received: number; keyed: Keyed[] }> {
  const records =
    job.encoding === "protobuf"
      ? await otlpProtobufRecords(job.signal, job.body, job.limits)
      : otlpRecords(job.signal, parseJsonText(decodeBody(job.body), job.limits));
  // A batch over the limit is refused by the caller without being read.
  if (records.length > job.limits.maxRecords) return { received: records.length, keyed: [] };
  return { received: records.length, keyed: await readAll("otlp", null, records, new Date(job.now)) };
}

// Background work, as the parse threads' (PARSE_NICE, lib/input/parse-body.ts): on Linux this thread lowers
// its own priority (/proc/thread-self names it), so on a busy machine the thread that answers requests
// gets the processor first.
try {
  setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 10);
} catch {
  // Elsewhere the thread keeps the process's priority.
}

parentPort?.on("message", (job: OtlpReadJob) => {
  read(job).then(
    (done) => parentPort!.postMessage({ id: job.id, ...done } satisfies OtlpReadMessage),
    (error: unknown) =>
      parentPort!.postMessage({
        id: job.id,
        error: {
          message: error instanceof Error ? error.message : String(error),
          ...(error instanceof AppError ? { appError: { code: error.code, fieldErrors: error.fieldErrors } } : {}),
        },
      } satisfies OtlpReadMessage),
  );
});
