"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { AppError } from "@/lib/errors";
import { importIsmCatalog, previewIsmCatalog } from "@/lib/ism/import-ism-catalog";
import { MAX_CATALOG_BYTES } from "@/lib/ism/oscal";

async function fileBytes(form: FormData): Promise<Uint8Array> {
  const file = form.get("catalog");
  if (!(file instanceof File) || file.size === 0)
    throw new AppError("VALIDATION", "Choose the catalog file to import.", { catalog: ["Choose a file."] });
  if (file.size > MAX_CATALOG_BYTES)
    throw new AppError("INVALID_FILE", `The file is larger than ${MAX_CATALOG_BYTES / 1048576} MB.`, {
      catalog: [`The file is larger than ${MAX_CATALOG_BYTES / 1048576} MB.`],
    });
  return new Uint8Array(await file.arrayBuffer());
}

/** Shows what the file would change; writes nothing. */
export async function previewIsmCatalogAction(form: FormData) {
  return runAction(async () => previewIsmCatalog(await requireWriteContext(), await fileBytes(form)));
}

export async function importIsmCatalogAction(form: FormData) {
  return runAction(async () => {
    const result = await importIsmCatalog(await requireWriteContext(), await fileBytes(form));
    revalidatePath("/controls");
    return result;
  });
}
