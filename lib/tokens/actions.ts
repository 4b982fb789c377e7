"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { createToken } from "@/lib/tokens/create-token";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { createServiceAccount } from "@/lib/tokens/create-service-account";
import { ZId } from "@/lib/input/validation";

/** Creates a token; the secret comes back once, in this response only. */
export async function createTokenAction(forUserId: unknown, input: unknown) {
  return runAction(async () => {
    const result = await createToken(
      await requireWriteContext(),
      forUserId === null ? null : ZId.parse(forUserId),
      input,
    );
    revalidatePath("/account/tokens");
    return result;
  });
}

export async function revokeTokenAction(tokenId: unknown) {
  return runAction(async () => {
    await revokeToken(await requireWriteContext(), ZId.parse(tokenId));
    revalidatePath("/account/tokens");
    return null;
  });
}

export async function createServiceAccountAction(input: unknown) {
  return runAction(async () => {
    const result = await createServiceAccount(await requireWriteContext(), input);
    revalidatePath("/account/tokens");
    return result;
  });
}
