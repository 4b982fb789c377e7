import { requireWriteContext } from "@/lib/auth/write-context";
import { getActor } from "@/lib/auth/current-actor";
import { createApi } from "@/lib/apis/create-api";
import { listApis } from "@/lib/apis/queries";
import { parseListParams } from "@/lib/apis/list-params";
import { assertSameOrigin, handleRoute, readJson } from "@/lib/http";

// JSON access to the inventory for signed-in sessions (the same services, policy and audit as the UI).
export async function GET(request: Request) {
  return handleRoute(async () => {
    const params = parseListParams(Object.fromEntries(new URL(request.url).searchParams));
    return Response.json(await listApis(await getActor(), params));
  });
}

export async function POST(request: Request) {
  return handleRoute(async () => {
    assertSameOrigin(request);
    const ctx = await requireWriteContext();
    const { id } = await createApi(ctx, await readJson(request));
    return Response.json({ id }, { status: 201, headers: { Location: `/api/v1/apis/${id}` } });
  });
}
