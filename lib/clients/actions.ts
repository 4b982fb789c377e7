"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { createClient } from "@/lib/clients/create-client";
import { updateClient } from "@/lib/clients/update-client";
import { deleteClient } from "@/lib/clients/delete-client";
import { importClients, previewClientImport, MAX_CSV_BYTES } from "@/lib/clients/import-clients";
import { readUploadedText } from "@/lib/input/uploaded-text";
import { ZId } from "@/lib/input/validation";

export async function createClientAction(apiId: unknown, input: unknown) {
  return runAction(async () => {
    const id = ZId.parse(apiId);
    const result = await createClient(await requireWriteContext(), id, input);
    revalidatePath(`/apis/${id}`);
    return result;
  });
}

export async function updateClientAction(apiId: unknown, clientId: unknown, version: unknown, input: unknown) {
  return runAction(async () => {
    const id = ZId.parse(apiId);
    await updateClient(await requireWriteContext(), id, ZId.parse(clientId), z.number().int().parse(version), input);
    revalidatePath(`/apis/${id}`);
    return null;
  });
}

export async function deleteClientAction(apiId: unknown, clientId: unknown) {
  return runAction(async () => {
    const id = ZId.parse(apiId);
    await deleteClient(await requireWriteContext(), id, ZId.parse(clientId));
    revalidatePath(`/apis/${id}`);
    return null;
  });
}

export async function previewClientImportAction(form: FormData) {
  return runAction(async () =>
    previewClientImport(await requireWriteContext(), await readUploadedText(form, MAX_CSV_BYTES)),
  );
}

export async function importClientsAction(form: FormData) {
  return runAction(async () => {
    const result = await importClients(await requireWriteContext(), await readUploadedText(form, MAX_CSV_BYTES));
    revalidatePath("/apis");
    return result;
  });
}
