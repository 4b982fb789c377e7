// npm run worker
// Runs the background jobs (lib/jobs/catalogue.ts) in a process of their own, until stopped. With
// APILEDGER_JOBS=worker the app servers run none, so a cluster's servers only serve requests; on
// PostgreSQL any number of workers share the queue (each run is claimed by one). Jobs start at once.
import { fail } from "@/lib/cli/run";
import { disconnectDb } from "@/lib/db/client";
import { databaseUrl, providerOf } from "@/lib/db/db-url";
import { JOBS, jobSettings, jobsRunIn } from "@/lib/jobs/catalogue";
import { startJobs, type RunningJobs } from "@/lib/jobs/runner";
import path from "node:path";
import { blobStoreKind } from "@/lib/storage/blob-store";
import { checkSmtpUrl } from "@/lib/notifications/mailer";
import { dataDir } from "@/lib/runtime/secrets";
import { preparedStatementsOn } from "@/lib/db/statement-names";
import { siemTarget, startForwarder, type Forwarder, type SiemTarget } from "@/lib/siem/forwarder";

const log = (line: string) => console.error(`worker: ${line}`);
let siem: SiemTarget | null = null;
try {
  jobSettings();
  // The audit log to the SIEM as well, as `npm start` does: one forwarder of the installation sends at a time
  // (a lock in the database), so servers and workers may all have APILEDGER_SIEM_URL.
  siem = siemTarget();
  preparedStatementsOn();
  // The worker sends the e-mail.
  checkSmtpUrl();
  // The worker builds evidence exports: their bundles go to the store every instance reads. With the
  // local store that is this machine's data folder, which the servers see only if it is shared.
  if (blobStoreKind() === "local")
    log(
      `files and bundles are kept under ${path.join(dataDir(), "files")}: the servers must use the same folder (a shared mount), or set APILEDGER_BLOB_STORE=postgres or s3 for all`,
    );
  // On SQLite a server on the default setting runs the jobs too, and each process would run them all.
  if (providerOf(databaseUrl()) === "sqlite" && jobsRunIn() !== "worker")
    fail(
      "On SQLite the jobs run in one process: set APILEDGER_JOBS=worker for this worker and for the server, or let the server run them (the default) and start no worker.",
    );
} catch (error) {
  fail((error as Error).message);
}
// pg-boss records a finished run without waiting for the database; with the database gone that is a
// rejection nobody awaits. It is said, not fatal: the run is retried when its claim expires.
process.on("unhandledRejection", (reason) =>
  log(`unhandled: ${reason instanceof Error ? reason.message : String(reason)}`),
);

let jobs: RunningJobs | null = null;
let stopping = false;
const forwarder: Forwarder | null = siem
  ? startForwarder(siem, {
      idleMs: Number(process.env.APILEDGER_SIEM_IDLE_MS ?? 2000),
      batch: Number(process.env.APILEDGER_SIEM_BATCH ?? 500),
      log,
    })
  : null;
if (siem)
  console.log(
    `worker: forwarding the audit log to ${siem.host}:${siem.port} (${siem.relp ? "RELP over " : ""}${siem.transport}, ${siem.format})`,
  );
// A database that is not there yet (it restarts, its network is late) delays the jobs; it does not end
// the worker (a supervisor would only start it again into the same outage).
const start = async () => {
  try {
    jobs = await startJobs({ firstRunAfterSeconds: 0, log });
    if (stopping) return void (await jobs.stop().catch(() => {}));
    console.log(
      `worker: running ${JOBS.length} background jobs ${jobs.kind === "queue" ? "from the PostgreSQL queue" : "in this process (SQLite)"}`,
    );
  } catch (error) {
    if (stopping) return;
    log(`could not start the jobs (${(error as Error).message}); trying again in 10 s`);
    setTimeout(() => void start(), 10_000);
  }
};
// The job timers do not hold the process open; this does, until a signal.
const alive = setInterval(() => {}, 60_000);
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`worker: ${signal} — finishing the runs in progress`);
  clearInterval(alive);
  let code = 0;
  try {
    await Promise.all([jobs?.stop(), forwarder?.stop()]);
  } catch (error) {
    log(`the jobs did not stop cleanly: ${(error as Error).message}`);
    code = 1;
  }
  await disconnectDb().catch(() => {});
  process.exit(code);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
await start();
