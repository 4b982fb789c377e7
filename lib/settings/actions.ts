"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { updateSettings } from "@/lib/settings/update-settings";

export async function updateSettingsAction(input: unknown) {
  return runAction(async () => {
    await updateSettings(await requireWriteContext(), input);
    revalidatePath("/", "layout");
    return null;
  });
}
