import { apiRead } from "@/lib/api/api-route";
import { AppError } from "@/lib/errors";
import { getIncident } from "@/lib/incidents/queries";

export const GET = apiRead<{ id: string }>(async ({ principal, params }) => {
  const incident = await getIncident(principal.actor, params.id.slice(0, 64));
  if (!incident) throw new AppError("NOT_FOUND", "That incident does not exist.");
  return Response.json(incident, { headers: { ETag: `"${incident.version}"` } });
});
