// Liveness for load balancers and the start script's readiness wait; says nothing about the data.
export function GET() {
  return Response.json({ status: "ok" });
}
