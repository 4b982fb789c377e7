import { apiRead, apiWrite } from "@/lib/rest/api-route";
import { parseInventoryQuery } from "@/lib/rest/inventory-query";
import { createApi } from "@/lib/apis/create-api";
import { listApisByCursor } from "@/lib/apis/queries";

// GET: the inventory with the UI's filters and sort, paged by cursor. POST: register an API.
export const GET = apiRead(async ({ principal, url }) => {
  const { params, cursor, limit } = parseInventoryQuery(url, principal.actor.token?.teamId ?? null);
  return Response.json(await listApisByCursor(principal.actor, params, cursor, limit));
});

export const POST = apiWrite(
  async ({ write, json }) => createApi(write, await json()),
  ({ id }) => Response.json({ id }, { status: 201, headers: { Location: `/api/v1/apis/${id}` } }),
  { permission: "api:create" },
);
