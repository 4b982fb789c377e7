"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { updateFollowUp } from "@/lib/follow-ups/update-follow-up";
import { ZId, ZVersion } from "@/lib/input/validation";

export async function updateFollowUpAction(id: unknown, version: unknown, input: unknown) {
  return runAction(async () => {
    await updateFollowUp(await requireWriteContext(), ZId.parse(id), ZVersion.parse(version), input);
    revalidatePath("/reviews");
    revalidatePath("/incidents");
    return null;
  });
}
