"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { AppError } from "@/lib/errors";
import { createDocument } from "@/lib/documents/create-document";
import { addDocumentVersion } from "@/lib/documents/add-version";
import { approveDocumentVersion } from "@/lib/documents/approve-version";
import { withdrawDocumentVersion } from "@/lib/documents/withdraw-version";
import { ZId } from "@/lib/input/validation";

const text = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

export async function createDocumentAction(input: unknown) {
  return runAction(async () => {
    const result = await createDocument(await requireWriteContext(), input);
    revalidatePath("/documents");
    return result;
  });
}

/** The form posts multipart data: the details as fields and, optionally, the file. */
export async function addDocumentVersionAction(documentId: unknown, form: FormData) {
  return runAction(async () => {
    const ctx = await requireWriteContext();
    const id = ZId.parse(documentId);
    const upload = form.get("file");
    if (upload !== null && typeof upload === "string" && upload !== "")
      throw new AppError("VALIDATION", "The file did not arrive as a file.", { file: ["Choose the file again."] });
    const file =
      upload instanceof File && (upload.size > 0 || upload.name !== "")
        ? { name: upload.name, bytes: new Uint8Array(await upload.arrayBuffer()) }
        : null;
    const input = {
      label: text(form, "label"),
      changeNote: text(form, "changeNote"),
      body: text(form, "body"),
      effectiveDate: text(form, "effectiveDate"),
      nextReviewDate: text(form, "nextReviewDate"),
    };
    const result = await addDocumentVersion(ctx, id, input, file);
    revalidatePath(`/documents/${id}`);
    return result;
  });
}

export async function approveDocumentVersionAction(versionId: unknown, input: unknown) {
  return runAction(async () => {
    await approveDocumentVersion(await requireWriteContext(), ZId.parse(versionId), input);
    revalidatePath("/documents");
    return null;
  });
}

export async function withdrawDocumentVersionAction(versionId: unknown) {
  return runAction(async () => {
    await withdrawDocumentVersion(await requireWriteContext(), ZId.parse(versionId));
    return null;
  });
}
