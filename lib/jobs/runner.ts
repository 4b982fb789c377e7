import "server-only";
import { logger } from "@/lib/log/logger";
import PgBoss from "pg-boss";
import { db, PG_SESSION } from "@/lib/db/client";
import { databaseUrl, libpqUrl, providerOf } from "@/lib/db/db-url";
import { whileStarting } from "@/lib/db/start-lock";
import { failAt, failpoint } from "@/lib/runtime/failpoint";
import { JOB_SCHEMA, JOBS, jobSettings, retriesFor, type JobDefinition } from "@/lib/jobs/catalogue";
import { recordJobRun } from "@/lib/jobs/job-runs";

// Runs the background jobs (lib/jobs/catalogue.ts) in this process: in every app server
// (instrumentation.ts) unless APILEDGER_JOBS=worker, and in `npm run worker` (lib/cli/worker.ts).
//
// PostgreSQL: a pg-boss queue per job in the database's "pgboss" schema. Every process offers each job
// at least twice per interval; the queue keeps one job per interval (a slot of the interval's length on
// the database's clock, unique in the queue), one process claims it (FOR UPDATE SKIP LOCKED), and no
// two runs of a job are active at once (pg-boss's singleton policy). A failed run is retried with
// pg-boss's back-off while the retries fit in half the interval (lib/jobs/catalogue.ts, retriesFor);
// a run whose process died stays claimed until its claim expires (claimSeconds, or
// APILEDGER_JOB_CLAIM_SECONDS; pg-boss looks every half claim, at most every two minutes), then it is
// retried after its back-off delay or, if it was the last try (or the job has no retries), failed; while
// it is claimed no other run of that job starts (singleton), so the next slot's run waits for it.
// SQLite: one process uses the database, so the same jobs run on timers in it, with the same slots,
// retries and back-off; the slot each job last ran in is read from JobRun at start, so a restart does
// not run every job again.

export type RunningJobs = { kind: "queue" | "in-process"; stop: () => Promise<void> };

type Options = {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Seconds before the first offer: a server lets its start finish first; a worker starts at once. */
  firstRunAfterSeconds?: number;
  jobs?: readonly JobDefinition[];
  /** Builds queued evidence exports beside the jobs (the default: with the catalogue's jobs). */
  exports?: boolean;
};

// pg-boss reports some errors as plain objects with a message.
const message = (error: unknown) =>
  error instanceof Error
    ? error.message
    : typeof error === "object" && error && "message" in error
      ? String((error as { message: unknown }).message)
      : String(error);

/** pg-boss's back-off, which the in-process runner follows too: delay × 2^(n−1) × (1 + random), n = 1, 2, 3. */
export function backoffSeconds(retry: number, attempt: number): number {
  return ((retry * 2 ** attempt) / 2) * (1 + Math.random());
}

/** Runs a job once and records the run (Settings, "Background jobs"); rethrows its failure for the retry. */
async function runOnce(job: JobDefinition, log: (line: string) => void): Promise<void> {
  const startedAt = new Date();
  let ok = false;
  let summary = "";
  try {
    failAt(`job:${job.name}`);
    // The queue's test kills a worker here, in the middle of a run it has claimed.
    await failpoint(`job-running:${job.name}`);
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
  const log = options.log ?? ((line: string) => logger().info({ part: "jobs" }, line));
  const jobs = options.jobs ?? JOBS;
  const firstMs = (options.firstRunAfterSeconds ?? 30) * 1000;
  // Settings read now (they throw in words): a wrong one stops the start, not the first run.
  const settings = jobSettings(env, jobs);
  const url = databaseUrl(env);
  const running =
    providerOf(url) === "postgres"
      ? await startQueue(url, env, jobs, settings, firstMs, log)
      : await startInProcess(jobs, settings, firstMs, log);
  if (!(options.exports ?? !options.jobs)) return running;
  // The export queue is the export rows themselves (lib/evidence/export-jobs.ts): every process that
  // runs jobs also builds exports, one at a time, claimed row by row.
  const { startExportBuilder } = await import("@/lib/evidence/export-jobs");
  const exports = startExportBuilder(log);
  return {
    kind: running.kind,
    stop: async () => {
      await Promise.all([running.stop(), exports.stop()]);
    },
  };
}

async function startQueue(
  url: string,
  env: NodeJS.ProcessEnv,
  jobs: readonly JobDefinition[],
  settings: ReturnType<typeof jobSettings>,
  firstMs: number,
  log: (line: string) => void,
): Promise<RunningJobs> {
  const boss = new PgBoss({
    connectionString: libpqUrl(url).url,
    schema: JOB_SCHEMA,
    application_name: "apiledger-jobs",
    max: 4,
    ...PG_SESSION,
    // Jobs are offered by the processes themselves (below), not by pg-boss's cron.
    schedule: false,
    // Expired claims are found by pg-boss's maintenance (one process of all, each interval): every half
    // of the shortest claim, so a run whose process died is released within one and a half claims.
    maintenanceIntervalSeconds: Math.max(
      1,
      Math.min(120, Math.floor(Math.min(...jobs.map((j) => settings.get(j.name)!.claim)) / 2)),
    ),
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
        const { every, retry, claim } = settings.get(job.name)!;
        const queue = {
          name: job.name,
          policy: "singleton" as const,
          retryLimit: retriesFor(every, retry),
          retryDelay: retry,
          retryBackoff: true,
          expireInSeconds: claim,
        };
        await boss.createQueue(job.name, queue);
        // A queue made by an earlier start keeps its settings until told: changed ones apply now.
        await boss.updateQueue(job.name, queue);
      }
    }, env);
    for (const job of jobs) {
      const { every } = settings.get(job.name)!;
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
      // Runs in progress get 10 s to finish; pg-boss fails the ones still going, and they are retried.
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

async function startInProcess(
  jobs: readonly JobDefinition[],
  settings: ReturnType<typeof jobSettings>,
  firstMs: number,
  log: (line: string) => void,
): Promise<RunningJobs> {
  type State = {
    job: JobDefinition;
    everyMs: number;
    retries: number;
    retry: number;
    slot: number;
    attempt: number;
    retryAt: number;
  };
  const lastStarted = new Map(
    (await db.jobRun.findMany({ select: { name: true, lastStartedAt: true } })).map((r) => [r.name, r.lastStartedAt]),
  );
  const states: State[] = jobs.map((job) => {
    const { every, retry } = settings.get(job.name)!;
    const last = lastStarted.get(job.name);
    return {
      job,
      everyMs: every * 1000,
      retries: retriesFor(every, retry),
      retry,
      slot: last ? Math.floor(last.getTime() / (every * 1000)) : -1,
      attempt: 0,
      retryAt: 0,
    };
  });
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
            if (s.attempt >= s.retries) return done();
            s.attempt++;
            s.retryAt = Date.now() + backoffSeconds(s.retry, s.attempt) * 1000;
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
