"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { readUploadedFile, uploadedText } from "@/lib/input/uploaded-text";
import { isZipArchive } from "@/lib/input/zip-upload";
import {
  importBackstageCatalog,
  MAX_CATALOG_BYTES,
  previewBackstageCatalog,
} from "@/lib/backstage/import-backstage-catalog";

/** The form's choices for entities that do not name an ApiLedger team or a sensitivity. */
const defaultsOf = (form: FormData) => ({
  teamId: form.get("defaultTeamId") ?? "",
  sensitivity: form.get("defaultSensitivity") ?? "",
});

/** A YAML catalog as text, or a ZIP bundle (by its name or its first bytes) as bytes. */
async function catalogOf(form: FormData) {
  const { name, bytes } = await readUploadedFile(form, MAX_CATALOG_BYTES, "YAML or ZIP");
  return /\.zip$/i.test(name) || isZipArchive(bytes) ? { bundle: bytes } : uploadedText(bytes, "YAML");
}

export async function previewBackstageCatalogAction(form: FormData) {
  return runAction(async () =>
    previewBackstageCatalog(await requireWriteContext(), await catalogOf(form), defaultsOf(form)),
  );
}

export async function importBackstageCatalogAction(form: FormData) {
  return runAction(async () => {
    const result = await importBackstageCatalog(await requireWriteContext(), await catalogOf(form), defaultsOf(form));
    revalidatePath("/apis");
    return result;
  });
}
