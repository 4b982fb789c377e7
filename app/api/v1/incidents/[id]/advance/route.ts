import { apiWrite } from "@/lib/rest/api-route";
import { expectedVersion, staleAs412 } from "@/lib/rest/if-match";
import { advanceIncident } from "@/lib/incidents/advance-incident";

/**
 * Moves the incident one step along reported → triaged → contained → resolved → closed, at the time
 * the body gives ({"at": "2026-11-22T09:30:00Z"}) or now when there is no body or no `at`.
 */
export const POST = apiWrite<{ id: string }, string>(
  async ({ write, params, request, bytes, json }) => {
    const version = expectedVersion(request);
    const input = (await bytes()).byteLength ? await json() : {};
    return staleAs412(() => advanceIncident(write, params.id.slice(0, 64), version, input));
  },
  (status) => Response.json({ status }),
  { permission: "incident:handle" },
);
