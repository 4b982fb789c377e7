import { apiWrite } from "@/lib/rest/api-route";
import { expectedVersion, staleAs412 } from "@/lib/rest/if-match";
import { advanceIncident } from "@/lib/incidents/advance-incident";

/**
 * Moves the incident one step along reported → triaged → contained → resolved → closed, at the time
 * the body gives ({"at": "2026-11-22T09:30"}, UTC) or now when there is no body.
 */
export const POST = apiWrite<{ id: string }, { status: string }>(
  async ({ write, params, request, bytes, json }) => {
    const input = (await bytes()).byteLength ? await json() : { at: "" };
    return {
      status: await staleAs412(() => advanceIncident(write, params.id.slice(0, 64), expectedVersion(request), input)),
    };
  },
  (result) => Response.json(result),
  { permission: "incident:handle" },
);
