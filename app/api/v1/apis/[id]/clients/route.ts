import { apiRead, apiWrite } from "@/lib/rest/api-route";
import { getApi } from "@/lib/apis/queries";
import { createClient } from "@/lib/clients/create-client";
import { listClients } from "@/lib/clients/queries";

type Params = { id: string };

/** The API's clients and grants, with their review flags. */
export const GET = apiRead<Params>(async ({ principal, params }) => {
  const api = await getApi(principal.actor, params.id.slice(0, 64));
  const { clients } = await listClients(principal.actor, api.id, api.sensitivity);
  return Response.json({ data: clients });
});

export const POST = apiWrite<Params, { id: string }>(
  async ({ write, params, json }) => createClient(write, params.id.slice(0, 64), await json()),
  (result, { params }) =>
    Response.json(
      { id: result.id },
      { status: 201, headers: { Location: `/api/v1/apis/${params.id}/clients/${result.id}` } },
    ),
  { permission: "client:manage" },
);
