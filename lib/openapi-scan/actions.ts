"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { AppError } from "@/lib/errors";
import { getSettings } from "@/lib/settings/queries";
import { attachDescription, removeDescription } from "@/lib/openapi-scan/attach-description";
import { fetchDescription } from "@/lib/openapi-scan/fetch-description";
import { MAX_DESCRIPTION_BYTES } from "@/lib/openapi-scan/parse";
import { ZId } from "@/lib/validation";

/** Upload a file, or fetch from an allowed URL. Returns the scan summary. */
export async function attachDescriptionAction(apiId: unknown, form: FormData) {
  return runAction(async () => {
    const ctx = await requireWriteContext();
    const id = ZId.parse(apiId);
    const file = form.get("file");
    const url = String(form.get("url") ?? "").trim();
    let text: string;
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_DESCRIPTION_BYTES) throw new AppError("VALIDATION", `The file is larger than ${MAX_DESCRIPTION_BYTES / 1048576} MB.`, { file: ["Too large."] });
      text = await file.text();
    } else if (url) {
      text = await fetchDescription(url, (await getSettings()).specFetchHosts);
    } else {
      throw new AppError("VALIDATION", "Choose a description file (JSON or YAML), or give a URL.", { file: ["Choose a file or give a URL."] });
    }
    const result = await attachDescription(ctx, id, text, url && !(file instanceof File && file.size > 0) ? { kind: "url", url } : { kind: "upload" });
    revalidatePath(`/apis/${id}`);
    return { operations: result.counts.operations, anonWrites: result.anonWrites, anonReads: result.anonReads, findings: result.findings.length };
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
