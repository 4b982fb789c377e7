import "server-only";
import { db } from "@/lib/db/client";
import { getJobsOverview } from "@/lib/jobs/queries";
import { forwardedUpTo, siemTarget } from "@/lib/siem/forwarder";
import { metrics } from "@/lib/metrics/registry";

/**
 * Sets the gauges read from the database, just before a scrape: every instance reports the same values
 * for these (they are the installation's, not the process's), so alert on one instance's or on max().
 */
export async function refreshDatabaseGauges(): Promise<void> {
  const m = metrics();
  const [overview, queued, building, emails, head, cursor] = await Promise.all([
    getJobsOverview(),
    db.evidenceExport.count({ where: { status: "QUEUED", runner: "" } }),
    db.evidenceExport.count({ where: { status: "QUEUED", runner: { not: "" } } }),
    db.notification.count({ where: { emailStatus: "PENDING" } }),
    db.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }),
    forwardedUpTo(),
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
  m.auditHead.set(head?.seq ?? 0);
  const siem = siemTarget(process.env);
  m.siemLag.reset();
  if (siem) m.siemLag.set({ collector: `${siem.host}:${siem.port}` }, Math.max(0, (head?.seq ?? 0) - cursor));
}
