// npm run worker
// Runs the background jobs (lib/jobs/catalogue.ts) in a process of their own, until stopped. With
// APILEDGER_JOBS=worker the app servers run none, so a cluster's servers only serve requests; on
// PostgreSQL any number of workers share the queue (each run is claimed by one). Jobs start at once.
import { fail } from "@/lib/cli/run";
import { disconnectDb } from "@/lib/db/client";
import { JOBS } from "@/lib/jobs/catalogue";
import { startJobs } from "@/lib/jobs/runner";

let jobs;
try {
  jobs = await startJobs({ firstRunAfterSeconds: 0, log: (line) => console.error(`worker: ${line}`) });
} catch (error) {
  fail((error as Error).message);
}
console.log(
  `worker: running ${JOBS.length} background jobs ${jobs.kind === "queue" ? "from the PostgreSQL queue" : "in this process (SQLite)"}`,
);
// The job timers do not hold the process open; this does, until a signal.
const alive = setInterval(() => {}, 60_000);
let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`worker: ${signal} — finishing the runs in progress`);
  clearInterval(alive);
  await jobs.stop();
  await disconnectDb();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
