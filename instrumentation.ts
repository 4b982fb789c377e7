// Next calls register() once when a server starts (`npm start`, a plain `next start`, `next dev`). It
// starts the background jobs (lib/jobs/runner.ts) in this server unless APILEDGER_JOBS=worker leaves
// them to `npm run worker`. On PostgreSQL every server and worker shares one queue, so each job runs
// once per interval however many are running.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { jobSettings, jobsRunIn } = await import("@/lib/jobs/catalogue");
  // A wrong setting stops the server's start here, in words (thrown), rather than leaving it without jobs.
  if (jobsRunIn(process.env) !== "server") return;
  jobSettings(process.env);
  // Once per process, whatever loads this module again.
  const flag = globalThis as unknown as { apiledgerJobsStarted?: boolean };
  if (flag.apiledgerJobsStarted) return;
  flag.apiledgerJobsStarted = true;
  const { startJobs } = await import("@/lib/jobs/runner");
  const { onShutdown } = await import("@/lib/server/shutdown");
  const { logger } = await import("@/lib/log/logger");
  // Not awaited: the server serves while the queue starts, and a database that is not there yet (it
  // restarts, its network is late) delays the jobs, not the server.
  const start = () =>
    startJobs()
      .then((jobs) => onShutdown("background jobs", jobs.stop))
      .catch((error) => {
        logger().error({ reason: (error as Error).message }, "background jobs did not start; trying again in 30 s");
        setTimeout(start, 30_000).unref();
      });
  void start();
}
