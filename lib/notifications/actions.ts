"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { markAllRead } from "@/lib/notifications/mark-read";

export async function markAllReadAction() {
  return runAction(async () => {
    const count = await markAllRead(await requireWriteContext());
    revalidatePath("/", "layout");
    return count;
  });
}
