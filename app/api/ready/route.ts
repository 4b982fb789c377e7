import { readiness } from "@/lib/server/readiness";

// Readiness for load balancers and orchestrators: 200 when this instance can serve, else 503 with the
// check that failed. Liveness (the process answers at all) is /api/health.
export const dynamic = "force-dynamic";

export async function GET() {
  const { ready, checks } = await readiness();
  return Response.json(
    { status: ready ? "ready" : "not ready", checks },
    { status: ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
