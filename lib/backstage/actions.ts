"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { readUploadedText } from "@/lib/input/uploaded-text";
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

export async function previewBackstageCatalogAction(form: FormData) {
  return runAction(async () =>
    previewBackstageCatalog(
      await requireWriteContext(),
      await readUploadedText(form, MAX_CATALOG_BYTES, "YAML"),
      defaultsOf(form),
    ),
  );
}

export async function importBackstageCatalogAction(form: FormData) {
  return runAction(async () => {
    const result = await importBackstageCatalog(
      await requireWriteContext(),
      await readUploadedText(form, MAX_CATALOG_BYTES, "YAML"),
      defaultsOf(form),
    );
    revalidatePath("/apis");
    return result;
  });
}
