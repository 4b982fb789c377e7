"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { startChecklist } from "@/lib/acquisitions/start-checklist";
import { saveAnswers } from "@/lib/acquisitions/save-answers";
import { decideChecklist } from "@/lib/acquisitions/decide-checklist";
import { addQuestion, updateQuestion } from "@/lib/acquisitions/manage-questions";
import { ZId, ZVersion } from "@/lib/input/validation";

export async function startChecklistAction(input: unknown) {
  return runAction(async () => {
    const result = await startChecklist(await requireWriteContext(), input);
    revalidatePath("/acquisitions");
    return result;
  });
}

export async function saveAnswersAction(id: unknown, version: unknown, input: unknown) {
  return runAction(async () => {
    await saveAnswers(await requireWriteContext(), ZId.parse(id), ZVersion.parse(version), input);
    revalidatePath(`/acquisitions/${String(id)}`);
    return null;
  });
}

export async function decideChecklistAction(id: unknown, version: unknown, input: unknown) {
  return runAction(async () => {
    await decideChecklist(await requireWriteContext(), ZId.parse(id), ZVersion.parse(version), input);
    revalidatePath("/acquisitions");
    return null;
  });
}

export async function addQuestionAction(input: unknown) {
  return runAction(async () => {
    const result = await addQuestion(await requireWriteContext(), input);
    revalidatePath("/acquisitions/questions");
    return result;
  });
}

export async function updateQuestionAction(id: unknown, input: unknown, isActive: unknown) {
  return runAction(async () => {
    await updateQuestion(await requireWriteContext(), ZId.parse(id), input, z.boolean().parse(isActive));
    revalidatePath("/acquisitions/questions");
    return null;
  });
}
