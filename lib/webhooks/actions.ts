"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { z } from "zod";
import { ZId } from "@/lib/input/validation";
import {
  createWebhook,
  deleteWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
  setWebhookActive,
} from "@/lib/webhooks/manage-webhooks";

/** Registers a webhook; its signing secret comes back once, in this response only. */
export async function createWebhookAction(input: unknown) {
  return runAction(async () => {
    const result = await createWebhook(await requireWriteContext(), input);
    revalidatePath("/settings");
    return result;
  });
}

export async function setWebhookActiveAction(id: unknown, active: unknown) {
  return runAction(async () => {
    await setWebhookActive(await requireWriteContext(), ZId.parse(id), z.boolean().parse(active));
    revalidatePath("/settings");
    return null;
  });
}

export async function sendTestWebhookAction(id: unknown) {
  return runAction(async () => {
    await sendTestWebhook(await requireWriteContext(), ZId.parse(id));
    revalidatePath("/settings");
    return null;
  });
}

/** Replaces a webhook's signing secret; the new one comes back once, in this response only. */
export async function rotateWebhookSecretAction(id: unknown) {
  return runAction(async () => {
    const { secret, previousUntil } = await rotateWebhookSecret(await requireWriteContext(), ZId.parse(id));
    revalidatePath("/settings");
    return { secret, previousUntil: previousUntil.toISOString() };
  });
}

export async function deleteWebhookAction(id: unknown) {
  return runAction(async () => {
    await deleteWebhook(await requireWriteContext(), ZId.parse(id));
    revalidatePath("/settings");
    return null;
  });
}
