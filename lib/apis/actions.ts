"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { createApi } from "@/lib/apis/create-api";
import { updateApi } from "@/lib/apis/update-api";
import { deleteApi } from "@/lib/apis/delete-api";
import { ZId } from "@/lib/input/validation";
import { requireActor } from "@/lib/auth/current-actor";
import { findApiChoices } from "@/lib/apis/choices";

// Thin: identify the caller, hand the untrusted input to the service (which validates and authorises).

export async function createApiAction(input: unknown) {
  return runAction(async () => {
    const result = await createApi(await requireWriteContext(), input);
    revalidatePath("/apis");
    return result;
  });
}

export async function updateApiAction(id: unknown, expectedVersion: unknown, input: unknown) {
  return runAction(async () => {
    const result = await updateApi(
      await requireWriteContext(),
      ZId.parse(id),
      z.number().int().parse(expectedVersion),
      input,
    );
    revalidatePath("/apis");
    return result;
  });
}

export async function deleteApiAction(id: unknown) {
  return runAction(async () => {
    await deleteApi(await requireWriteContext(), ZId.parse(id));
    revalidatePath("/apis");
    return null;
  });
}

/** The APIs an API picker offers for what was typed (a read: nothing is written). */
export async function findApiChoicesAction(input: unknown) {
  return runAction(async () => findApiChoices(await requireActor(), input));
}
