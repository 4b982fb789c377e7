"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { reauthenticate } from "@/lib/auth/reauthenticate";
import { endSession, endSessionsOfPerson } from "@/lib/sessions/end-session";
import { ZId } from "@/lib/input/validation";

export async function endSessionAction(sessionId: unknown) {
  return runAction(async () => {
    await endSession(await requireWriteContext(), ZId.parse(sessionId));
    revalidatePath("/account/sessions");
    revalidatePath("/users", "layout");
    return null;
  });
}

/** Oneself: every session but this one. An admin, for someone else: all of theirs. */
export async function endSessionsOfPersonAction(userId: unknown) {
  return runAction(async () => {
    const ended = await endSessionsOfPerson(await requireWriteContext(), ZId.parse(userId));
    revalidatePath("/account/sessions");
    revalidatePath("/users", "layout");
    return { ended };
  });
}

export async function reauthenticateAction(password: unknown) {
  return runAction(async () => {
    await reauthenticate(
      await requireWriteContext(),
      typeof password === "string" ? password : "",
      (await headers()).get("user-agent") ?? "",
    );
    revalidatePath("/account/tokens");
    return null;
  });
}
