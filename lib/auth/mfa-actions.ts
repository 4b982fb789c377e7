"use server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { giveSecondFactor, passkeySignInOptions } from "@/lib/auth/second-factor";
import {
  confirmPasskeyEnrolment,
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  removeFactor,
  resetFactorsOf,
  startPasskeyEnrolment,
  startTotpEnrolment,
  type SessionActor,
} from "@/lib/mfa/enrol";
import { parseOrThrow, ZId } from "@/lib/input/validation";
import type { WriteContext } from "@/lib/audit/authorized-write";

// Second factors: enrolling (from the account page, or the forced enrolment after the password), giving
// one at sign-in, and an admin's reset. Enrolment actions are allowed to a session that must enrol
// (step "enrolment"); sign-in actions only to one waiting for its second factor.

const ZLabel = z.string().trim().max(80, "At most 80 characters.").default("");
const ZTotpCode = z
  .string()
  .transform((v) => v.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the six-digit code the app shows."));
const ZRecoveryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9 -]{4,40}$/, "Enter a recovery code as it was shown (letters, digits and dashes).");
/** A WebAuthn response is JSON from the browser; @simplewebauthn checks every field of it. Bounded here. */
const ZCredential = z
  .record(z.string(), z.unknown())
  .refine((v) => JSON.stringify(v).length <= 64_000, "The passkey's answer is too large.");
const ZTotpEnrolment = z.object({ code: ZTotpCode, label: ZLabel });
const ZPasskeyEnrolment = z.object({ response: ZCredential, label: ZLabel });

const enrolment = () => requireWriteContext({ step: "enrolment" });
const revalidate = () => {
  revalidatePath("/account/security");
  revalidatePath("/users", "layout");
};

export async function startTotpEnrolmentAction() {
  return runAction(async () => startTotpEnrolment(await enrolment()));
}

export async function confirmTotpEnrolmentAction(code: unknown, label: unknown) {
  return runAction(async () => {
    const input = parseOrThrow(ZTotpEnrolment, { code, label });
    const result = await confirmTotpEnrolment(await enrolment(), input.code, input.label);
    revalidate();
    return result;
  });
}

export async function startPasskeyEnrolmentAction() {
  return runAction(async () => startPasskeyEnrolment(await enrolment()));
}

export async function confirmPasskeyEnrolmentAction(response: unknown, label: unknown) {
  return runAction(async () => {
    const input = parseOrThrow(ZPasskeyEnrolment, { response, label });
    const result = await confirmPasskeyEnrolment(await enrolment(), input.response, input.label);
    revalidate();
    return result;
  });
}

export async function regenerateRecoveryCodesAction() {
  return runAction(async () => {
    const codes = await regenerateRecoveryCodes(await requireWriteContext());
    revalidate();
    return codes;
  });
}

export async function removeFactorAction(factorId: unknown) {
  return runAction(async () => {
    await removeFactor(await requireWriteContext(), ZId.parse(factorId));
    revalidate();
    return null;
  });
}

export async function resetFactorsAction(userId: unknown) {
  return runAction(async () => {
    await resetFactorsOf(await requireWriteContext(), ZId.parse(userId));
    revalidate();
    return null;
  });
}

const pendingSignIn = async (): Promise<WriteContext & { actor: SessionActor }> =>
  (await requireWriteContext({ step: "second-factor" })) as WriteContext & { actor: SessionActor };

export async function passkeySignInOptionsAction() {
  return runAction(async () => {
    const ctx = await pendingSignIn();
    return passkeySignInOptions(ctx.actor, ctx.ip ?? "");
  });
}

const ZSecondFactor = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("totp"), code: ZTotpCode }),
  z.object({ kind: z.literal("recovery"), code: ZRecoveryCode }),
  z.object({ kind: z.literal("passkey"), response: ZCredential }),
]);

export async function giveSecondFactorAction(input: unknown) {
  return runAction(async () => {
    const factor = parseOrThrow(ZSecondFactor, input);
    const ctx = await pendingSignIn();
    await giveSecondFactor(ctx.actor, factor, {
      ip: ctx.ip ?? "",
      userAgent: (await headers()).get("user-agent") ?? "",
    });
    return null;
  });
}
