import { apiRead } from "@/lib/api/api-route";
import { AppError } from "@/lib/errors";
import { getApi } from "@/lib/apis/queries";
import { listAuthEvents, parseEventFilters } from "@/lib/events/queries";

/** Who called the API and when: filter by client, principal, outcome and time; paged by cursor. */
export const GET = apiRead<{ id: string }>(async ({ principal, params, url }) => {
  const api = await getApi(principal.actor, params.id.slice(0, 64));
  // A token limited to one team reads only that team's APIs' events.
  const token = principal.actor.token;
  if (token?.teamId && api.teamId !== token.teamId) throw new AppError("FORBIDDEN", "This token is limited to another team's APIs.");
  return Response.json(await listAuthEvents(principal.actor, api.id, parseEventFilters(Object.fromEntries(url.searchParams))));
});
