"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireActor } from "@/lib/auth/current-actor";
import { requireWriteContext } from "@/lib/auth/write-context";
import { requestEvidenceExport } from "@/lib/evidence/export-jobs";
import { listEvidenceExports, previewEvidence } from "@/lib/evidence/queries";

export async function previewEvidenceAction(input: unknown) {
  return runAction(async () => previewEvidence(await requireActor(), input));
}

export async function requestEvidenceExportAction(input: unknown) {
  return runAction(async () => {
    const result = await requestEvidenceExport(await requireWriteContext(), input);
    revalidatePath("/evidence");
    return result;
  });
}

/** Polled by the exports list while a bundle is being built. */
export async function listEvidenceExportsAction() {
  return runAction(async () => listEvidenceExports(await requireActor()));
}
