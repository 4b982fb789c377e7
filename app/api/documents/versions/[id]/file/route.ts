import { getActor } from "@/lib/auth/current-actor";
import { getVersionFile } from "@/lib/documents/queries";
import { AppError } from "@/lib/errors";
import { handleRoute } from "@/lib/http/responses";
import { downloadResponse } from "@/lib/storage/download-response";

type Context = { params: Promise<{ id: string }> };

/** Downloads the file of a document version (any signed-in role may read documents). */
export async function GET(_request: Request, { params }: Context) {
  return handleRoute(async () => {
    const file = await getVersionFile(await getActor(), (await params).id);
    if (!file) throw new AppError("NOT_FOUND", "That version has no file, or does not exist.");
    return downloadResponse(file);
  });
}
