import { apiRead, apiWrite, type ApiContext } from "@/lib/rest/api-route";
import { expectedVersion, staleAs412 } from "@/lib/rest/if-match";
import { AppError } from "@/lib/errors";
import { getApi } from "@/lib/apis/queries";
import { listClients } from "@/lib/clients/queries";
import { updateClient } from "@/lib/clients/update-client";
import { deleteClient } from "@/lib/clients/delete-client";

type Params = { id: string; clientId: string };

export const GET = apiRead<Params>(async ({ principal, params }) => {
  const api = await getApi(principal.actor, params.id.slice(0, 64));
  const client = (await listClients(principal.actor, api.id, api.sensitivity)).clients.find(
    (c) => c.id === params.clientId,
  );
  if (!client) throw new AppError("NOT_FOUND", "That client does not exist on this API.");
  return Response.json(client, { headers: { ETag: `"${client.version}"` } });
});

export const PUT = apiWrite(
  async ({ write, params, json, request }: ApiContext<Params>) => {
    const version = expectedVersion(request);
    const body = await json();
    return staleAs412(() => updateClient(write, params.id.slice(0, 64), params.clientId.slice(0, 64), version, body));
  },
  (_, { params }) => Response.json({ id: params.clientId }),
  { permission: "client:manage" },
);

export const DELETE = apiWrite<Params, null>(
  async ({ write, params }) => {
    await deleteClient(write, params.id.slice(0, 64), params.clientId.slice(0, 64));
    return null;
  },
  () => new Response(null, { status: 204 }),
  { permission: "client:manage" },
);
