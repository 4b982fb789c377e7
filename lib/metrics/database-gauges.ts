import "server-only";
import { db } from "@/lib/db/client";
import { getJobsOverview } from "@/lib/jobs/queries";
import { forwardedUpTo, siemTarget } from "@/lib/siem/forwarder";
import { metrics } from "@/lib/metrics/registry";
import { logger } from "@/lib/log/logger";

/** A refresh younger than this is reused: several Prometheus replicas scraping at once cost one read. */
export const GAUGES_FRESH_MS = 10_000;
/** A scrape waits this long for the database; then it answers with the last values and ok = 0. */
export const GAUGES_TIMEOUT_MS = 2_000;

const state = globalThis as unknown as {
  apiledgerGauges?: { running: Promise<void> | null; at: number; ok: boolean };
};

/**
 * The database's gauges for a scrape: one refresh at a time per process (concurrent scrapes share it),
 * reused for GAUGES_FRESH_MS, and never waited on for more than GAUGES_TIMEOUT_MS — a database that
 * hangs shows as apiledger_database_gauges_ok 0, not as a scrape that times out and holds connections.
 * Resolves whether the values are current.
 */
export async function currentDatabaseGauges(now = Date.now()): Promise<boolean> {
  const s = (state.apiledgerGauges ??= { running: null, at: 0, ok: false });
  if (s.ok && now - s.at < GAUGES_FRESH_MS) return true;
  s.running ??= refreshDatabaseGauges()
    .then(
      () => {
        s.ok = true;
        s.at = Date.now();
      },
      (error: unknown) => {
        s.ok = false;
        logger().warn({ reason: (error as Error).message }, "metrics: could not read the database's gauges");
      },
    )
    .finally(() => (s.running = null));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">(
    (resolve) => (timer = setTimeout(() => resolve("timeout"), GAUGES_TIMEOUT_MS)),
  );
  const outcome = await Promise.race([s.running.then(() => "done" as const), timedOut]);
  clearTimeout(timer);
  return outcome === "done" && s.ok;
}

/**
 * Sets the gauges read from the database, just before a scrape: every instance reports the same values
 * for these (they are the installation's, not the process's), so alert on one instance's or on max().
 */
export async function refreshDatabaseGauges(): Promise<void> {
  const m = metrics();
  const [overview, queued, building, emails, head, cursor, hooksPending, hooksFailed] = await Promise.all([
    getJobsOverview(),
    db.evidenceExport.count({ where: { status: "QUEUED", runner: "" } }),
    db.evidenceExport.count({ where: { status: "QUEUED", runner: { not: "" } } }),
    db.notification.count({ where: { emailStatus: "PENDING" } }),
    db.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }),
    forwardedUpTo(),
    db.webhookDelivery.count({ where: { status: { in: ["PENDING", "SENDING"] } } }),
    db.webhookDelivery.count({ where: { status: "FAILED" } }),
  ]);
  for (const job of overview.jobs) {
    if (job.last) m.jobLastOk.set({ name: job.name }, job.last.ok ? 1 : 0);
    m.jobFailedRuns.set({ name: job.name }, job.failures);
    m.jobOverdue.set({ name: job.name }, job.overdue ? 1 : 0);
    if (job.queue) for (const [state, n] of Object.entries(job.queue)) m.jobQueue.set({ name: job.name, state }, n);
  }
  m.exportsOpen.set({ state: "queued" }, queued);
  m.exportsOpen.set({ state: "building" }, building);
  m.emailsPending.set(emails);
  m.webhookDeliveries.set({ state: "pending" }, hooksPending);
  m.webhookDeliveries.set({ state: "failed" }, hooksFailed);
  m.auditHead.set(head?.seq ?? 0);
  const siem = siemTarget(process.env);
  m.siemLag.reset();
  if (siem) m.siemLag.set({ collector: `${siem.host}:${siem.port}` }, Math.max(0, (head?.seq ?? 0) - cursor));
}
