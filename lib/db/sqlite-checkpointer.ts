import "server-only";
import { logError } from "@/lib/log/logger";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

/*
 * WAL checkpoints on a second thread. In WAL mode a commit appends to the log, and every so often the
 * log is copied back into the database file (a checkpoint). Left to SQLite, the checkpoint runs inside
 * whichever commit crosses the threshold, on the one thread that serves every request: during bulk
 * event ingestion that was one batch in five taking 100–200 ms longer (measured). Here a worker thread
 * with its own connection checkpoints a few times a second in PASSIVE mode, which never blocks the
 * writer, so the copying happens on the other core while the server goes on writing. The writer keeps
 * a large automatic threshold as a backstop in case this thread falls behind or stops.
 */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma("synchronous = FULL");
const timer = setInterval(() => {
  try {
    const started = Date.now();
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ log: row.log, checkpointed: row.checkpointed, started });
  } catch { /* busy or the file went away: try again next tick */ }
}, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); try { db.close(); } catch {} parentPort.close(); });
`;

export type Checkpointer = {
  /**
   * Resolves at the first checkpoint that has copied the whole log into the database file, so the next
   * write starts the log again from its beginning; rejects after timeoutMs if the thread does not get
   * there (it is busy behind a reader, starved of CPU, or stopped).
   */
  caughtUp: (timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
};

export function startCheckpointer(file: string, intervalMs = 200): Checkpointer {
  // Resolved from the app's own folder: the worker runs plain CommonJS, outside the bundler.
  const driver = createRequire(path.join(process.cwd(), "package.json")).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { file: path.resolve(file), driver, intervalMs } });
  // A CLI command ends when its work does; the checkpointer must not keep the process alive.
  worker.unref();
  let exited = false;
  // Each waiter with the time it began waiting: only a checkpoint that started after it counts. Reports
  // queue while this thread is busy writing, so the ones read after a write may come from checkpoints that
  // ran before it committed, and found the log caught up without it (a loaded CI run failed that way).
  const waiting = new Map<() => void, number>();
  worker.on("message", ({ log, checkpointed, started }: { log: number; checkpointed: number; started: number }) => {
    if (log < 0 || checkpointed < log) return;
    for (const [resolve, since] of waiting)
      if (started > since) {
        resolve();
        waiting.delete(resolve);
      }
  });
  const done = new Promise<void>((resolve) => worker.once("exit", () => ((exited = true), resolve())));
  worker.on("error", (error) => {
    // The writer's own automatic checkpoint (the backstop) takes over; say so, as writes will be slower.
    logError("SQLite checkpoint thread stopped; the writer checkpoints by itself from now on", error);
  });
  return {
    caughtUp: (timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(done);
          reject(new Error(`the SQLite checkpoint thread did not catch up with the log within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => (clearTimeout(timer), resolve());
        waiting.set(done, Date.now());
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        void done.then(resolve);
        // Held open again until it has closed its connection, or an ending process would not wait.
        worker.ref();
        worker.postMessage("stop");
        setTimeout(() => void worker.terminate(), 2000).unref();
      }),
  };
}
