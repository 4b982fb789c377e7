import { z } from "zod";
import { requireWriteContext } from "@/lib/auth/write-context";
import { getActor } from "@/lib/auth/current-actor";
import { getApi } from "@/lib/apis/queries";
import { updateApi } from "@/lib/apis/update-api";
import { deleteApi } from "@/lib/apis/delete-api";
import { assertSameOrigin, handleRoute, problem, readJson } from "@/lib/http";
import { AppError } from "@/lib/errors";

type Context = { params: Promise<{ id: string }> };

export async function GET(_request: Request, { params }: Context) {
  return handleRoute(async () => {
    const api = await getApi(await getActor(), (await params).id);
    return Response.json(api, { headers: { ETag: `"${api.version}"` } });
  });
}

/** Full replacement of the editable fields; `If-Match: "<version>"` is required so a stale write is refused. */
export async function PUT(request: Request, { params }: Context) {
  return handleRoute(async () => {
    assertSameOrigin(request);
    const ctx = await requireWriteContext();
    const match = /^"(\d+)"$/.exec(request.headers.get("if-match") ?? "");
    if (!match) throw new AppError("VALIDATION", 'Send If-Match: "<version>" with the version you read (the ETag of GET).');
    const id = z.string().max(64).parse((await params).id);
    try {
      await updateApi(ctx, id, Number(match[1]), await readJson(request));
    } catch (error) {
      // A write based on an old version is a failed precondition, not a generic conflict.
      if (error instanceof AppError && error.code === "CONFLICT" && !Object.keys(error.fieldErrors).length) return problem(412, "PRECONDITION_FAILED", error.message);
      throw error;
    }
    return Response.json({ id });
  });
}

export async function DELETE(request: Request, { params }: Context) {
  return handleRoute(async () => {
    assertSameOrigin(request);
    await deleteApi(await requireWriteContext(), z.string().max(64).parse((await params).id));
    return new Response(null, { status: 204 });
  });
}
