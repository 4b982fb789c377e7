"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { AppError } from "@/lib/errors";
import { attachDescription, attachDescriptionFromUrl, removeDescription } from "@/lib/openapi-scan/attach-description";
import { MAX_DESCRIPTION_BYTES } from "@/lib/openapi-scan/parse";
import { ZId, ZVersion } from "@/lib/input/validation";
import { decideTriage, requestTriage, withdrawTriage } from "@/lib/openapi-scan/triage";

/** Upload a file, or fetch from an allowed URL. Returns the scan summary. */
export async function attachDescriptionAction(apiId: unknown, form: FormData) {
  return runAction(async () => {
    const ctx = await requireWriteContext();
    const id = ZId.parse(apiId);
    const file = form.get("file");
    const url = String(form.get("url") ?? "").trim();
    let result: Awaited<ReturnType<typeof attachDescription>>;
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_DESCRIPTION_BYTES)
        throw new AppError("VALIDATION", `The file is larger than ${MAX_DESCRIPTION_BYTES / 1048576} MB.`, {
          file: ["Too large."],
        });
      result = await attachDescription(ctx, id, await file.text(), { kind: "upload" });
    } else if (url) {
      // The service checks permission (with the API as target) before the server fetches anything.
      result = await attachDescriptionFromUrl(ctx, id, url);
    } else {
      throw new AppError("VALIDATION", "Choose a description file (JSON or YAML), or give a URL.", {
        file: ["Choose a file or give a URL."],
      });
    }
    revalidatePath(`/apis/${id}`);
    return {
      operations: result.counts.operations,
      anonWrites: result.anonWrites,
      anonReads: result.anonReads,
      findings: result.findings.length,
      // Findings are sorted most severe first.
      worst: result.findings[0]?.severity ?? null,
    };
  });
}

export async function removeDescriptionAction(apiId: unknown) {
  return runAction(async () => {
    const id = ZId.parse(apiId);
    await removeDescription(await requireWriteContext(), id);
    revalidatePath(`/apis/${id}`);
    return null;
  });
}

export async function requestTriageAction(apiId: unknown, input: unknown) {
  return runAction(async () => {
    const id = ZId.parse(apiId);
    const triage = await requestTriage(await requireWriteContext(), id, input);
    revalidatePath(`/apis/${id}`);
    return triage;
  });
}

export async function decideTriageAction(triageId: unknown, version: unknown, input: unknown) {
  return runAction(async () => {
    const id = ZId.parse(triageId);
    const { apiId } = await decideTriage(await requireWriteContext(), id, ZVersion.parse(version), input);
    revalidatePath(`/apis/${apiId}`);
    return { id };
  });
}

export async function withdrawTriageAction(triageId: unknown, version: unknown, input: unknown) {
  return runAction(async () => {
    const id = ZId.parse(triageId);
    const { apiId } = await withdrawTriage(await requireWriteContext(), id, ZVersion.parse(version), input);
    revalidatePath(`/apis/${apiId}`);
    return { id };
  });
}
