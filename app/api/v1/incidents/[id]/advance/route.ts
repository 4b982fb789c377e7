import { apiWrite } from "@/lib/rest/api-route";
import { expectedVersion, staleAs412 } from "@/lib/rest/if-match";
import { advanceIncident } from "@/lib/incidents/advance-incident";

/** Moves the incident one step along reported → triaged → contained → resolved → closed. */
export const POST = apiWrite<{ id: string }, { status: string }>(
  async ({ write, params, request }) => ({
    status: await staleAs412(() => advanceIncident(write, params.id.slice(0, 64), expectedVersion(request))),
  }),
  (result) => Response.json(result),
  { permission: "incident:handle" },
);
