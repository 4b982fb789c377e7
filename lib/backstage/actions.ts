"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { readUploadedText } from "@/lib/uploaded-text";
import { importCatalog, MAX_CATALOG_BYTES, previewCatalogImport } from "@/lib/backstage/import-catalog";

export async function previewCatalogImportAction(form: FormData) {
  return runAction(async () =>
    previewCatalogImport(await requireWriteContext(), await readUploadedText(form, MAX_CATALOG_BYTES, "YAML")),
  );
}

export async function importCatalogAction(form: FormData) {
  return runAction(async () => {
    const result = await importCatalog(
      await requireWriteContext(),
      await readUploadedText(form, MAX_CATALOG_BYTES, "YAML"),
    );
    revalidatePath("/apis");
    return result;
  });
}
