"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { recordTrainingSession } from "@/lib/training/record-session";
import { updateTrainingSession } from "@/lib/training/update-session";
import { importAttendance, previewAttendanceImport } from "@/lib/training/import-attendance";
import { readUploadedText } from "@/lib/input/uploaded-text";
import { ZId } from "@/lib/input/validation";

export async function recordTrainingSessionAction(input: unknown) {
  return runAction(async () => {
    const result = await recordTrainingSession(await requireWriteContext(), input);
    revalidatePath("/training");
    return result;
  });
}

export async function updateTrainingSessionAction(id: unknown, version: unknown, input: unknown) {
  return runAction(async () => {
    await updateTrainingSession(await requireWriteContext(), ZId.parse(id), z.number().int().parse(version), input);
    revalidatePath("/training");
    return { id: String(id) };
  });
}

export async function previewAttendanceImportAction(form: FormData) {
  return runAction(async () => previewAttendanceImport(await requireWriteContext(), await readUploadedText(form)));
}

export async function importAttendanceAction(form: FormData) {
  return runAction(async () => {
    const result = await importAttendance(await requireWriteContext(), await readUploadedText(form));
    revalidatePath("/training");
    return result;
  });
}
