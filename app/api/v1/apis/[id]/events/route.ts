import { apiRead } from "@/lib/rest/api-route";
import { requirePermission } from "@/lib/authz/policy";
import { getApi } from "@/lib/apis/queries";
import { listAuthEvents, parseEventFilters } from "@/lib/events/queries";

/** Who called the API and when: filter by client, principal, outcome and time; paged by cursor. */
export const GET = apiRead<{ id: string }>(async ({ principal, params, url }) => {
  const api = await getApi(principal.actor, params.id.slice(0, 64));
  // Asked on the API itself, so a token limited to one team reads only that team's APIs' events.
  requirePermission(principal.actor, "event:read", { ownerId: api.ownerId, teamId: api.teamId });
  return Response.json(
    await listAuthEvents(principal.actor, api.id, parseEventFilters(Object.fromEntries(url.searchParams))),
  );
});
