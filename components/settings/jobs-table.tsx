import type { JobsOverview, JobStatus } from "@/lib/jobs/queries";

const utc = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;

/** An interval as the "Every" column says it: hour, minute, 2 h, 5 min, 30 s. */
function every(seconds: number): string {
  if (seconds === 3600) return "hour";
  if (seconds === 60) return "minute";
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function LastRun({ job }: { job: JobStatus }) {
  const last = job.last;
  if (!last) return <span className="muted">not run yet</span>;
  return (
    <>
      <span className={`badge ${last.ok ? "badge-MET" : "badge-NOT_MET"}`}>{last.ok ? "ok" : "failed"}</span>{" "}
      {job.overdue ? <span className="badge badge-NOT_MET">overdue</span> : null}{" "}
      <span className="nowrap">{utc(last.startedAt)}</span>
      <div className="small">{last.summary}</div>
      {last.failingSince ? (
        <div className="small">
          Failing since {utc(last.failingSince)}
          {last.lastOkAt ? `; last success ${utc(last.lastOkAt)}` : "; never succeeded"}
        </div>
      ) : null}
      <div className="small muted">
        {job.runs} run{job.runs === 1 ? "" : "s"}, {job.failures} failed · <span className="mono">{last.runner}</span>
      </div>
    </>
  );
}

/** The background jobs on the Settings page: what runs where, when each last ran, and what failed. */
export function JobsTable({ overview }: { overview: JobsOverview }) {
  const failing = overview.jobs.filter((j) => j.last && !j.last.ok);
  const overdue = overview.jobs.filter((j) => j.overdue);
  return (
    <>
      <p>
        {overview.queue === "postgres"
          ? "PostgreSQL queue: each run is claimed by one process, however many servers and workers run. "
          : "SQLite: jobs run in the process that runs them, on timers. "}
        {overview.runIn === "server" ? (
          "They run in the app servers (APILEDGER_JOBS=server)."
        ) : (
          <>
            They run in <code>npm run worker</code> processes only (<code>APILEDGER_JOBS=worker</code>).
          </>
        )}{" "}
        A failed run is retried up to three times with growing delays, while the retries fit in half its interval.
      </p>
      {failing.length ? (
        <div className="alert alert-error" role="status">
          {failing.length} job{failing.length === 1 ? " is" : "s are"} failing: {failing.map((j) => j.name).join(", ")}
        </div>
      ) : null}
      {overdue.length ? (
        <div className="alert alert-error" role="status">
          Not run when due: {overdue.map((j) => j.name).join(", ")}.{" "}
          {overview.runIn === "worker" ? (
            <>
              No <code>npm run worker</code> process seems to be running (<code>APILEDGER_JOBS=worker</code>).
            </>
          ) : (
            "The servers running them may have stopped, or cannot reach the queue."
          )}
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="data">
          <caption className="sr-only">Background jobs</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Every</th>
              <th scope="col">Last run</th>
              {overview.queue === "postgres" ? <th scope="col">Queue: waiting, running, failed (7 days)</th> : null}
            </tr>
          </thead>
          <tbody>
            {overview.jobs.map((job) => (
              <tr key={job.name}>
                <td>
                  {job.title}
                  <div className="small muted mono">{job.name}</div>
                </td>
                <td className="nowrap">{every(job.everySeconds)}</td>
                <td>
                  <LastRun job={job} />
                </td>
                {job.queue ? (
                  <td className="nowrap">
                    {job.queue.waiting}, {job.queue.active}, {job.queue.failed}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
