import { apiRead, apiWrite, type ApiContext } from "@/lib/rest/api-route";
import { expectedVersion, staleAs412 } from "@/lib/rest/if-match";
import { updateIncident } from "@/lib/incidents/update-incident";
import { AppError } from "@/lib/errors";
import { getIncident } from "@/lib/incidents/queries";

export const GET = apiRead<{ id: string }>(async ({ principal, params }) => {
  const incident = await getIncident(principal.actor, params.id.slice(0, 64));
  if (!incident) throw new AppError("NOT_FOUND", "That incident does not exist.");
  return Response.json(incident, { headers: { ETag: `"${incident.version}"` } });
});

/** Replaces the incident's record (not its status or timeline); If-Match with the ETag is required. */
export const PUT = apiWrite(
  async ({ write, params, json, request }: ApiContext<{ id: string }>) => {
    const version = expectedVersion(request);
    const body = await json();
    return staleAs412(() => updateIncident(write, params.id.slice(0, 64), version, body));
  },
  (_, { params }) => Response.json({ id: params.id }),
  { permission: "incident:handle" },
);
