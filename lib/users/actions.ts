"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { createUser } from "@/lib/users/create-user";
import { updateUser } from "@/lib/users/update-user";
import { resetPassword } from "@/lib/users/reset-password";
import { changeOwnPassword } from "@/lib/users/change-password";
import { ZId } from "@/lib/input/validation";

export async function createUserAction(input: unknown) {
  return runAction(async () => {
    const result = await createUser(await requireWriteContext(), input);
    revalidatePath("/users");
    return result;
  });
}

export async function updateUserAction(id: unknown, input: unknown) {
  return runAction(async () => {
    await updateUser(await requireWriteContext(), ZId.parse(id), input);
    revalidatePath("/users");
    return null;
  });
}

export async function resetPasswordAction(id: unknown) {
  return runAction(async () => {
    const result = await resetPassword(await requireWriteContext(), ZId.parse(id));
    revalidatePath("/users");
    return result;
  });
}

export async function changeOwnPasswordAction(input: unknown) {
  return runAction(async () => {
    await changeOwnPassword(
      await requireWriteContext({ step: "password-change" }),
      input,
      (await headers()).get("user-agent") ?? "",
    );
    return null;
  });
}
