import { apiRead, apiWrite } from "@/lib/api/api-route";
import { AppError } from "@/lib/errors";
import { getApi } from "@/lib/apis/queries";
import { updateApi } from "@/lib/apis/update-api";
import { deleteApi } from "@/lib/apis/delete-api";

type Params = { id: string };

/** `If-Match: "<version>"` (the ETag of GET) is required on updates, so a stale write is refused. */
function expectedVersion(request: Request): number {
  const header = request.headers.get("if-match");
  if (header === null) throw new AppError("PRECONDITION_FAILED", 'Send If-Match: "<version>" with the ETag of the API as you read it.');
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) throw new AppError("VALIDATION", 'If-Match must be the ETag from GET, e.g. "3".');
  return Number(match[1]);
}

export const GET = apiRead<Params>(async ({ principal, params }) => {
  const api = await getApi(principal.actor, params.id.slice(0, 64));
  return Response.json(api, { headers: { ETag: `"${api.version}"`, "Cache-Control": "private, no-cache" } });
});

export const PUT = apiWrite<Params, { id: string; version: number }>(
  async ({ write, json, params, request }) => {
    const version = expectedVersion(request);
    const body = await json();
    try {
      return await updateApi(write, params.id.slice(0, 64), version, body);
    } catch (error) {
      // The only conflict an update meets is a version mismatch: the client's copy is stale.
      if (error instanceof AppError && error.code === "CONFLICT") throw new AppError("PRECONDITION_FAILED", error.message);
      throw error;
    }
  },
  (result) => Response.json(result, { headers: { ETag: `"${result.version}"` } }),
);

export const DELETE = apiWrite<Params, null>(
  async ({ write, params }) => {
    await deleteApi(write, params.id.slice(0, 64));
    return null;
  },
  () => new Response(null, { status: 204 }),
);
