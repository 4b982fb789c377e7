import { apiRead, apiWrite } from "@/lib/rest/api-route";
import { expectedVersion, staleAs412 } from "@/lib/rest/if-match";
import { getApi } from "@/lib/apis/queries";
import { updateApi } from "@/lib/apis/update-api";
import { deleteApi } from "@/lib/apis/delete-api";

type Params = { id: string };

export const GET = apiRead<Params>(async ({ principal, params }) => {
  const api = await getApi(principal.actor, params.id.slice(0, 64));
  return Response.json(api, { headers: { ETag: `"${api.version}"`, "Cache-Control": "private, no-cache" } });
});

export const PUT = apiWrite<Params, { id: string; version: number }>(
  async ({ write, json, params, request }) => {
    const version = expectedVersion(request);
    const body = await json();
    return staleAs412(() => updateApi(write, params.id.slice(0, 64), version, body));
  },
  (result) => Response.json(result, { headers: { ETag: `"${result.version}"` } }),
  { permission: "api:update" },
);

export const DELETE = apiWrite<Params, null>(
  async ({ write, params }) => {
    await deleteApi(write, params.id.slice(0, 64));
    return null;
  },
  () => new Response(null, { status: 204 }),
  { permission: "api:delete" },
);
