import "server-only";
import { db } from "@/lib/db/client";
import { databaseUrl, providerOf } from "@/lib/db/db-url";
import { JOB_SCHEMA, JOBS, jobSettings, jobsRunIn, overdueAfterSeconds } from "@/lib/jobs/catalogue";

export type JobQueueCounts = { waiting: number; active: number; failed: number };
export type JobStatus = {
  name: string;
  title: string;
  everySeconds: number;
  last: {
    startedAt: string;
    endedAt: string;
    ok: boolean;
    summary: string;
    runner: string;
    failingSince: string | null;
    lastOkAt: string | null;
  } | null;
  runs: number;
  failures: number;
  /** Its last run started longer ago than two intervals and its retries: no process is running it. */
  overdue: boolean;
  /** On PostgreSQL, the job's queue now (failed: runs that used up their retries in the last 7 days). */
  queue: JobQueueCounts | null;
};

export type JobsOverview = { runIn: "server" | "worker"; queue: "postgres" | "in-process"; jobs: JobStatus[] };

/** The background jobs as the Settings page shows them: schedule, last run, failures and queue. */
export async function getJobsOverview(env: NodeJS.ProcessEnv = process.env): Promise<JobsOverview> {
  const onPostgres = providerOf(databaseUrl(env)) === "postgres";
  const [runs, queues] = await Promise.all([db.jobRun.findMany(), onPostgres ? queueCounts() : Promise.resolve(null)]);
  const byName = new Map(runs.map((r) => [r.name, r]));
  const settings = jobSettings(env);
  const now = Date.now();
  return {
    runIn: jobsRunIn(env),
    queue: onPostgres ? "postgres" : "in-process",
    jobs: JOBS.map((job) => {
      const r = byName.get(job.name);
      const { every, retry, claim } = settings.get(job.name)!;
      return {
        name: job.name,
        title: job.title,
        everySeconds: every,
        last: r
          ? {
              startedAt: r.lastStartedAt.toISOString(),
              endedAt: r.lastEndedAt.toISOString(),
              ok: r.lastOk,
              summary: r.lastSummary,
              runner: r.lastRunner,
              failingSince: r.failingSince?.toISOString() ?? null,
              lastOkAt: r.lastOkAt?.toISOString() ?? null,
            }
          : null,
        runs: r?.runs ?? 0,
        failures: r?.failures ?? 0,
        overdue: !!r && now - r.lastStartedAt.getTime() > overdueAfterSeconds(every, retry, claim) * 1000,
        queue: queues ? (queues.get(job.name) ?? { waiting: 0, active: 0, failed: 0 }) : null,
      };
    }),
  };
}

/** Jobs per state in pg-boss's table; null before any process has started the queue in this database. */
async function queueCounts(): Promise<Map<string, JobQueueCounts> | null> {
  const present = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'job'`,
    JOB_SCHEMA,
  );
  if (!present[0]?.n) return null;
  const rows = await db.$queryRawUnsafe<{ name: string; waiting: number; active: number; failed: number }[]>(
    `SELECT name,
            count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS waiting,
            count(*) FILTER (WHERE state = 'active')::int AS active,
            count(*) FILTER (WHERE state = 'failed')::int AS failed
       FROM "${JOB_SCHEMA}".job GROUP BY name`,
  );
  return new Map(rows.map((r) => [r.name, { waiting: r.waiting, active: r.active, failed: r.failed }]));
}
