import { currentDatabaseGauges } from "@/lib/metrics/database-gauges";
import { metricsToken, presentsToken } from "@/lib/metrics/metrics-token";
import { metrics } from "@/lib/metrics/registry";

// Prometheus metrics (text exposition format), for a scraper holding APILEDGER_METRICS_TOKEN; off (404)
// without one. Not an API token: a scraper is not a person and gets no other access, and a person's
// token — however privileged — does not open this route.
export const dynamic = "force-dynamic";

const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

export async function GET(request: Request) {
  const token = metricsToken();
  if (!token) return new Response("Metrics are off: set APILEDGER_METRICS_TOKEN.\n", { status: 404, headers });
  if (!presentsToken(request.headers.get("authorization"), token))
    return new Response("Send the metrics token: Authorization: Bearer <APILEDGER_METRICS_TOKEN>.\n", {
      status: 401,
      headers: { ...headers, "WWW-Authenticate": 'Bearer realm="metrics"' },
    });
  const m = metrics();
  // The database's gauges are best effort: with the database down or slow, the process's own metrics still tell.
  m.databaseGaugesOk.set((await currentDatabaseGauges()) ? 1 : 0);
  return new Response(await m.registry.metrics(), {
    headers: { ...headers, "Content-Type": m.registry.contentType },
  });
}
