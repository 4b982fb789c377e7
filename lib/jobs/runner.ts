import "server-only";
import PgBoss from "pg-boss";
import { databaseUrl, libpqUrl, providerOf } from "@/lib/db/db-url";
import { whileStarting } from "@/lib/db/start-lock";
import { failAt } from "@/lib/runtime/failpoint";
import { JOB_SCHEMA, JOBS, type JobDefinition } from "@/lib/jobs/catalogue";
import { recordJobRun } from "@/lib/jobs/job-runs";

// Runs the background jobs (lib/jobs/catalogue.ts) in this process: in every app server
// (instrumentation.ts) unless APILEDGER_JOBS=worker, and in `npm run worker` (lib/cli/worker.ts).
//
// PostgreSQL: a pg-boss queue in the database's "pgboss" schema. Every process offers each job once per
// half interval; the queue keeps one job per interval (a slot of the interval's length on the database's
// clock, unique in the queue), and one process claims it (FOR UPDATE SKIP LOCKED). A run that fails is
// retried with back-off; one whose process died is taken up again when its claim expires.
// SQLite: one process uses the database, so the same jobs run on timers in it, with the same retries.

/** A failed run is tried again this many times, after APILEDGER_JOB_RETRY_SECONDS, doubling each time. */
export const RETRY_LIMIT = 3;
/** A run whose process stopped answering is taken up by another after this long. */
const CLAIM_SECONDS = 15 * 60;

export type RunningJobs = { kind: "queue" | "in-process"; stop: () => Promise<void> };

type Options = {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Seconds before the first offer: a server lets its start finish first; a worker starts at once. */
  firstRunAfterSeconds?: number;
  jobs?: readonly JobDefinition[];
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** APILEDGER_JOB_RETRY_SECONDS: the first retry's delay (1–3600, default 30). */
export function retrySeconds(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.APILEDGER_JOB_RETRY_SECONDS?.trim() || "30";
  const seconds = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 1 && seconds <= 3600))
    throw new Error(`APILEDGER_JOB_RETRY_SECONDS must be whole seconds from 1 to 3600, not "${value}".`);
  return seconds;
}

/** Runs a job once and records the run (Settings, "Background jobs"); rethrows its failure for the retry. */
async function runOnce(job: JobDefinition, log: (line: string) => void): Promise<void> {
  const startedAt = new Date();
  let ok = false;
  let summary = "";
  try {
    failAt(`job:${job.name}`);
    summary = await job.run();
    ok = true;
  } catch (error) {
    summary = message(error);
    log(`job ${job.name} failed: ${summary}`);
    throw error;
  } finally {
    await recordJobRun(job.name, { startedAt, endedAt: new Date(), ok, summary }).catch((error) =>
      log(`could not record the run of job ${job.name}: ${message(error)}`),
    );
  }
}

export async function startJobs(options: Options = {}): Promise<RunningJobs> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(`apiledger: ${line}`));
  const jobs = options.jobs ?? JOBS;
  const firstMs = (options.firstRunAfterSeconds ?? 30) * 1000;
  const retry = retrySeconds(env);
  // Settings read now: a wrong one stops the start, not the first run an hour later.
  const intervals = new Map(jobs.map((job) => [job.name, job.everySeconds(env)]));
  const url = databaseUrl(env);
  return providerOf(url) === "postgres"
    ? startQueue(url, env, jobs, intervals, retry, firstMs, log)
    : startInProcess(jobs, intervals, retry, firstMs, log);
}

async function startQueue(
  url: string,
  env: NodeJS.ProcessEnv,
  jobs: readonly JobDefinition[],
  intervals: Map<string, number>,
  retry: number,
  firstMs: number,
  log: (line: string) => void,
): Promise<RunningJobs> {
  const boss = new PgBoss({
    connectionString: libpqUrl(url).url,
    schema: JOB_SCHEMA,
    application_name: "apiledger-jobs",
    max: 4,
    // Jobs are offered by the processes themselves (below), not by pg-boss's cron.
    schedule: false,
    // A finished job stays in the queue (where its slot is unique) for longer than the longest interval.
    archiveCompletedAfterSeconds: 2 * 86_400,
    archiveFailedAfterSeconds: 7 * 86_400,
    deleteAfterDays: 30,
  });
  boss.on("error", (error) => log(`job queue: ${message(error)}`));
  const timers: NodeJS.Timeout[] = [];
  try {
    // Two processes making the queue's schema and tables at once deadlock in PostgreSQL: they take turns
    // under the lock instances take turns at seeding under (lib/db/start-lock.ts).
    await whileStarting(async () => {
      await boss.start();
      for (const job of jobs) {
        const settings = {
          name: job.name,
          retryLimit: RETRY_LIMIT,
          retryDelay: retry,
          retryBackoff: true,
          expireInSeconds: CLAIM_SECONDS,
        };
        await boss.createQueue(job.name, settings);
        // A queue made by an earlier start keeps its settings until told: a changed retry delay applies now.
        await boss.updateQueue(job.name, settings);
      }
    }, env);
    for (const job of jobs) {
      const every = intervals.get(job.name)!;
      await boss.work(job.name, { pollingIntervalSeconds: 2 }, async () => runOnce(job, log));
      // Offered at least twice per slot, so no slot is missed whatever this process's timer drift.
      const offer = () => {
        boss
          .send(job.name, {}, { singletonSeconds: every })
          .catch((error) => log(`could not offer job ${job.name}: ${message(error)}`));
      };
      timers.push(
        setTimeout(() => {
          offer();
          timers.push(setInterval(offer, Math.max(1, Math.min(every / 2, 300)) * 1000).unref());
        }, firstMs).unref(),
      );
    }
  } catch (error) {
    // Half started (the database went away between two steps): leave nothing running behind.
    for (const timer of timers) clearTimeout(timer);
    await boss.stop({ graceful: false, wait: true, timeout: 1_000 }).catch(() => {});
    throw error;
  }
  return {
    kind: "queue",
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      // Runs in progress finish (up to 10 s); one cut off is taken up again when its claim expires.
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

function startInProcess(
  jobs: readonly JobDefinition[],
  intervals: Map<string, number>,
  retry: number,
  firstMs: number,
  log: (line: string) => void,
): RunningJobs {
  type State = { job: JobDefinition; everyMs: number; slot: number; attempt: number; retryAt: number };
  const states: State[] = jobs.map((job) => ({
    job,
    everyMs: intervals.get(job.name)! * 1000,
    slot: -1,
    attempt: 0,
    retryAt: 0,
  }));
  const running = new Map<State, Promise<void>>();
  let stopped = false;
  const tick = () => {
    const now = Date.now();
    for (const s of states) {
      if (stopped || running.has(s)) continue;
      // The same slots as on PostgreSQL: once per interval of the clock, then retries with back-off.
      const slot = Math.floor(now / s.everyMs);
      if (s.retryAt ? now < s.retryAt : slot === s.slot) continue;
      const done = () => {
        s.slot = slot;
        s.attempt = 0;
        s.retryAt = 0;
      };
      running.set(
        s,
        runOnce(s.job, log)
          .then(done, () => {
            if (s.attempt >= RETRY_LIMIT) return done();
            s.attempt++;
            s.retryAt = Date.now() + retry * 1000 * 2 ** (s.attempt - 1);
          })
          .finally(() => running.delete(s)),
      );
    }
  };
  let interval: NodeJS.Timeout | null = null;
  const first = setTimeout(() => {
    tick();
    interval = setInterval(tick, 1000).unref();
  }, firstMs).unref();
  return {
    kind: "in-process",
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      if (interval) clearInterval(interval);
      await Promise.allSettled(running.values());
    },
  };
}
