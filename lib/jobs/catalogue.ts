import "server-only";
import { checkpointIntervalMinutes } from "@/lib/checkpoints/make-checkpoint";

// The installation's background jobs: what each does, how often, and the work itself. lib/jobs/runner.ts
// runs them — on PostgreSQL through a queue every instance and worker shares (each run claimed by one
// process), on SQLite in the one process that runs jobs. Each job's work is safe to run twice at once
// (e-mails are claimed, roll-ups read inside their write, a checkpoint is signed from the log as it is);
// the queue makes it run once per interval, not once per instance.
export type JobDefinition = {
  /** The queue's name (letters, digits and hyphens). */
  name: string;
  /** What it does, as an admin reads it on the Settings page. */
  title: string;
  /** How often it runs, in seconds. */
  everySeconds: (env: NodeJS.ProcessEnv) => number;
  /** Does the work; says in a few words what it did. Throws when it failed (the run is retried). */
  run: () => Promise<string>;
};

/** The schema pg-boss keeps its queue in on PostgreSQL (created on first start, beside the app's tables). */
export const JOB_SCHEMA = "pgboss";

const HOUR = () => 3600;

export const JOBS: readonly JobDefinition[] = [
  {
    name: "review-schedule",
    title: "Open the quarter's review campaign (when automatic) and create review reminders",
    everySeconds: HOUR,
    run: async () => {
      const { openDueCampaign, runReviewReminders } = await import("@/lib/reviews/reminders");
      const opened = await openDueCampaign();
      const created = await runReviewReminders();
      return `${opened ? `opened the ${opened} campaign; ` : ""}${created} reminder(s) created`;
    },
  },
  {
    name: "email-delivery",
    title: "Send queued notification e-mails",
    everySeconds: () => 60,
    run: async () => {
      const { deliverPendingEmails } = await import("@/lib/notifications/deliver");
      const { sent, failed } = await deliverPendingEmails();
      return `${sent} e-mail(s) sent, ${failed} failed`;
    },
  },
  {
    name: "webhook-delivery",
    title: "Send queued webhook deliveries (retried on a back-off schedule for about a day)",
    everySeconds: () => 15,
    run: async () => {
      const { deliverDueWebhooks } = await import("@/lib/webhooks/deliver");
      const { delivered, retrying, failed } = await deliverDueWebhooks();
      return `${delivered} delivered, ${retrying} to retry, ${failed} failed`;
    },
  },
  {
    name: "finding-triage-expiry",
    title: "Close finding triages whose period ended (the findings count again)",
    everySeconds: HOUR,
    run: async () => {
      const { expireFindingTriages } = await import("@/lib/openapi-scan/triage");
      return `${await expireFindingTriages()} triage(s) closed`;
    },
  },
  {
    name: "control-snapshot",
    title: "Record the day's control counts for the dashboard's trend",
    everySeconds: HOUR,
    run: async () => {
      const { recordControlSnapshot } = await import("@/lib/dashboard/control-snapshots");
      return (await recordControlSnapshot()) ? "today's counts recorded" : "today's counts already recorded";
    },
  },
  {
    name: "event-roll-up",
    title: "Roll events older than the retention period up into daily counts",
    everySeconds: HOUR,
    run: async () => {
      const { rollUpOldEvents } = await import("@/lib/events/roll-up");
      return `${await rollUpOldEvents()} event(s) rolled up`;
    },
  },
  {
    name: "audit-checkpoint",
    title: "Sign an audit-log checkpoint (APILEDGER_CHECKPOINT_MINUTES)",
    everySeconds: (env) => checkpointIntervalMinutes(env) * 60,
    run: async () => {
      const { makeCheckpoint } = await import("@/lib/checkpoints/make-checkpoint");
      const checkpoint = await makeCheckpoint("interval");
      return checkpoint ? `checkpoint at entry ${checkpoint.seq}` : "no new entries since the last checkpoint";
    },
  },
  {
    name: "export-lapse-check",
    title: "Queue again evidence exports whose process stopped building them (failed after 3 tries)",
    everySeconds: () => 30,
    run: async () => {
      const { requeueLapsedExports } = await import("@/lib/evidence/export-jobs");
      const { requeued, failed } = await requeueLapsedExports();
      return requeued + failed
        ? `${requeued} export(s) whose process stopped queued again, ${failed} failed`
        : "no export lost its process";
    },
  },
  {
    name: "blob-collection",
    title: "Remove stored files no record refers to, a day after they were last written",
    everySeconds: () => 6 * 3600,
    run: async () => {
      const { collectUnreferencedBlobs } = await import("@/lib/storage/collect-blobs");
      const { removed, bytes } = await collectUnreferencedBlobs();
      return `${removed} unreferenced file(s) removed (${(bytes / 1048576).toFixed(1)} MB)`;
    },
  },
];

/**
 * APILEDGER_JOBS: which processes run the jobs. "server" (the default): every app server, so a plain
 * `next start` runs them too; "worker": only `npm run worker` processes (servers run none).
 */
export function jobsRunIn(env: NodeJS.ProcessEnv = process.env): "server" | "worker" {
  const value = env.APILEDGER_JOBS?.trim() || "server";
  if (value !== "server" && value !== "worker")
    throw new Error(`APILEDGER_JOBS must be "server" or "worker", not "${env.APILEDGER_JOBS}".`);
  return value;
}

/** A setting in whole seconds from 1 to 3600 (unset: the fallback, which may be none); throws in words on a wrong one. */
function secondsSetting<F extends number | null>(env: NodeJS.ProcessEnv, name: string, fallback: F): number | F {
  const value = env[name]?.trim() ?? "";
  if (!value) return fallback;
  const seconds = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 1 && seconds <= 3600))
    throw new Error(`${name} must be whole seconds from 1 to 3600, not "${value}".`);
  return seconds;
}

/** APILEDGER_JOB_RETRY_SECONDS: the base of a failed run's retry delay (1–3600, default 30). */
export function retrySeconds(env: NodeJS.ProcessEnv = process.env): number {
  return secondsSetting(env, "APILEDGER_JOB_RETRY_SECONDS", 30);
}

/**
 * Each job's interval, retry delay and claim from the settings; throws, in words, on a wrong one.
 * APILEDGER_JOB_CLAIM_SECONDS (1–3600) sets every job's claim (claimSeconds below gives the default): how soon
 * the queue runs again a job whose process died in the middle of it.
 */
export function jobSettings(
  env: NodeJS.ProcessEnv = process.env,
  jobs: readonly JobDefinition[] = JOBS,
): Map<string, { every: number; retry: number; claim: number }> {
  const retry = retrySeconds(env);
  const claim = secondsSetting(env, "APILEDGER_JOB_CLAIM_SECONDS", null);
  return new Map(
    jobs.map((job) => {
      const every = job.everySeconds(env);
      return [job.name, { every, retry, claim: claim ?? claimSeconds(every) }];
    }),
  );
}

/**
 * How many times a failed run is retried: up to 3, while the longest the retries can take (pg-boss's
 * back-off: up to 2, 4 and 8 × the delay) fits in half the interval. A job due every minute is not
 * retried: its next run comes sooner, and retries would overlap it.
 */
export function retriesFor(every: number, retry: number): number {
  let n = 0;
  while (n < 3 && 2 * retry * (2 ** (n + 1) - 1) < every / 2) n++;
  return n;
}

/**
 * How long a run may take before the queue counts it as lost (its process died) and lets the job run
 * again: 80 % of the interval, from 2 minutes up to 50. pg-boss also stops waiting for the run then.
 */
export function claimSeconds(every: number): number {
  return Math.round(Math.min(3000, Math.max(120, every * 0.8)));
}

/**
 * A job whose last run started longer ago than this is overdue (no process is running it): two
 * intervals, the longest its retries can take and its claim.
 */
export function overdueAfterSeconds(every: number, retry: number, claim = claimSeconds(every)): number {
  return 2 * every + 2 * retry * (2 ** retriesFor(every, retry) - 1) + claim;
}
