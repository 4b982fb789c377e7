// Prometheus metrics of this process (prom-client). One registry per process, kept on globalThis: the
// HTTP server (lib/server/http-server.ts, outside Next's bundles) counts requests into it, Next's route
// bundles count events into it, and GET /metrics (app/metrics/route.ts) serves it. No "server-only"
// here, so the HTTP server can import it.
import client from "prom-client";

export type Metrics = {
  registry: client.Registry;
  httpRequests: client.Counter<"method" | "route" | "status">;
  httpDuration: client.Histogram<"method" | "route">;
  directReads: client.Counter<"route">;
  eventsStored: client.Counter;
  /** Read from the database at each scrape (lib/metrics/database-gauges.ts): the same on every instance. */
  jobLastOk: client.Gauge<"name">;
  jobFailedRuns: client.Gauge<"name">;
  jobOverdue: client.Gauge<"name">;
  jobQueue: client.Gauge<"name" | "state">;
  exportsOpen: client.Gauge<"state">;
  emailsPending: client.Gauge;
  webhookDeliveries: client.Gauge;
  auditHead: client.Gauge;
  siemLag: client.Gauge<"collector">;
  databaseGaugesOk: client.Gauge;
};

const holder = globalThis as unknown as { apiledgerMetrics?: Metrics };

export function metrics(): Metrics {
  return (holder.apiledgerMetrics ??= create());
}

function create(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "apiledger_" });
  // Gauges prom-client names like counters (promtool's lint refuses them); the same counts by type stay.
  for (const name of ["active_handles_total", "active_requests_total", "active_resources_total"])
    registry.removeSingleMetric(`apiledger_nodejs_${name}`);
  const registers = [registry];
  return {
    registry,
    httpRequests: new client.Counter({
      name: "apiledger_http_requests_total",
      help: "HTTP requests, by method, route (the app route that answered, as /api/v1/apis/[id]) and status code (aborted: the client went away first).",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpDuration: new client.Histogram({
      name: "apiledger_http_request_duration_seconds",
      help: "Time from a request's arrival to the end of its response, by method and route.",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    directReads: new client.Counter({
      name: "apiledger_http_direct_reads_total",
      help: "Token-authenticated REST reads answered by their route's handler without Next.js's request pipeline (lib/server/direct-reads.ts), by route; the rest of apiledger_http_requests_total went through it.",
      labelNames: ["route"],
      registers,
    }),
    eventsStored: new client.Counter({
      name: "apiledger_events_stored_total",
      help: "Authentication events stored (REST, OTLP, gateway profiles, quarantine retries), counted after they commit.",
      registers,
    }),
    jobLastOk: new client.Gauge({
      name: "apiledger_job_last_run_ok",
      help: "1 if the background job's last run succeeded, 0 if it failed (absent before its first run).",
      labelNames: ["name"],
      registers,
    }),
    jobFailedRuns: new client.Gauge({
      name: "apiledger_job_failed_runs",
      help: "Failed runs of the background job since the installation began (every process's).",
      labelNames: ["name"],
      registers,
    }),
    jobOverdue: new client.Gauge({
      name: "apiledger_job_overdue",
      help: "1 if no process has run the background job for two intervals and its retries.",
      labelNames: ["name"],
      registers,
    }),
    jobQueue: new client.Gauge({
      name: "apiledger_job_queue",
      help: "Runs in the PostgreSQL job queue (pg-boss) by job and state: waiting, active, failed.",
      labelNames: ["name", "state"],
      registers,
    }),
    exportsOpen: new client.Gauge({
      name: "apiledger_evidence_exports_open",
      help: "Evidence exports not finished, by state: queued (nobody builds it yet) or building.",
      labelNames: ["state"],
      registers,
    }),
    emailsPending: new client.Gauge({
      name: "apiledger_emails_pending",
      help: "Notification e-mails queued and not yet sent.",
      registers,
    }),
    webhookDeliveries: new client.Gauge({
      name: "apiledger_webhook_deliveries",
      help: "Webhook deliveries waiting to be sent (pending, including ones waiting to be retried) and failed for good.",
      labelNames: ["state"],
      registers,
    }),
    auditHead: new client.Gauge({
      name: "apiledger_audit_log_entries",
      help: "Sequence number of the audit log's last entry.",
      registers,
    }),
    siemLag: new client.Gauge({
      name: "apiledger_siem_forwarder_lag_entries",
      help: "Audit entries not yet acknowledged by the SIEM collector (host:port); absent when no SIEM is configured.",
      labelNames: ["collector"],
      registers,
    }),
    databaseGaugesOk: new client.Gauge({
      name: "apiledger_database_gauges_ok",
      help: "1 if this scrape read the job, export, e-mail, audit and SIEM gauges from the database; 0 if it could not (they keep their last values).",
      registers,
    }),
  };
}

type Route = { page: string; regex: RegExp };
const routes = globalThis as unknown as { apiledgerRoutes?: { exact: Map<string, string>; patterns: Route[] } };

/**
 * The app's routes, from the build's routes manifest (.next/routes-manifest.json): the HTTP server loads
 * them at start so a request is labelled by the route that answers it ("/api/v1/apis/[id]"), never by
 * its path — the number of series is bounded by the app, not by what clients send.
 */
export function loadRoutes(manifest: {
  staticRoutes?: { page: string }[];
  dynamicRoutes?: { page: string; regex: string }[];
}): void {
  routes.apiledgerRoutes = {
    exact: new Map((manifest.staticRoutes ?? []).map((r) => [r.page, r.page])),
    patterns: (manifest.dynamicRoutes ?? []).map((r) => ({ page: r.page, regex: new RegExp(r.regex) })),
  };
}

/** The route label of a request path: the route's page, "asset" for Next's files, else "unmatched". */
export function routeLabel(pathname: string): string {
  if (pathname.startsWith("/_next/")) return "asset";
  const known = routes.apiledgerRoutes;
  if (!known) return "unmatched";
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const exact = known.exact.get(path);
  if (exact) return exact;
  // In the manifest's order, as Next matches them (more specific routes first).
  for (const route of known.patterns) if (route.regex.test(pathname)) return route.page;
  return "unmatched";
}

/** Counts a REST read that lib/server/direct-reads.ts answered without Next's pipeline. */
export function directReadCount(route: string): void {
  metrics().directReads.inc({ route });
}

/** Counts one answered request (called when its response has finished). */
export function recordRequest(method: string, pathname: string, status: number | "aborted", seconds: number): void {
  const m = metrics();
  const verb = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(method) ? method : "OTHER";
  const route = routeLabel(pathname);
  m.httpRequests.inc({ method: verb, route, status: String(status) });
  m.httpDuration.observe({ method: verb, route }, seconds);
}
