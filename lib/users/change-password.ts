import "server-only";
import { z } from "zod";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";
import { PASSWORD_MIN_LENGTH, hashPassword, verifyPassword } from "@/lib/auth/password";
import { parseOrThrow } from "@/lib/input/validation";
import { endSessionsOf } from "@/lib/sessions/session-state";
import { claimGuess, guessRight, LOCKOUT_MINUTES, recordSignInFailure, takeGuessFrom } from "@/lib/auth/guesses";
import { storable } from "@/lib/auth/failure-record";
import { db } from "@/lib/db/client";

export const ZPasswordChange = z
  .object({
    current: z.string().min(1, "Enter your current password.").max(1024),
    next: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(1024, "That password is too long."),
    confirm: z.string().max(1024),
  })
  .strict()
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "The two new passwords differ." })
  .refine((v) => v.next !== v.current, {
    path: ["next"],
    message: "Choose a password different from the current one.",
  });

/**
 * A person's own password change. The current password is a guess like any other (lib/auth/guesses.ts):
 * counted before it is checked, a wrong one toward the lock-out and the failed-authentication alerts, so a
 * session left open cannot be used to guess it. It is checked outside the write, never holding its lock.
 */
export async function changeOwnPassword(ctx: WriteContext, rawInput: unknown, userAgent = ""): Promise<void> {
  const input = parseOrThrow(ZPasswordChange, rawInput);
  const userId = ctx.actor.id;
  if (!userId) throw new AppError("FORBIDDEN", "Only a signed-in person can change their password.");
  const ip = ctx.ip ?? "";
  await takeGuessFrom(ip);
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, passwordHash: true },
  });
  const now = new Date();
  const guess = await claimGuess(user, ip, now);
  const right = (await verifyPassword(input.current, user.passwordHash)) && guess !== null;
  if (!right) {
    await recordSignInFailure(
      {
        kind: "password",
        email: user.email,
        userId: user.id,
        reason: guess === null ? "account locked" : "wrong password (password change)",
        ip,
        userAgent: storable(userAgent, 300),
      },
      guess,
      now,
    );
    const message =
      guess === null
        ? `The account is locked; try again in ${LOCKOUT_MINUTES} minutes.`
        : "Your current password is not right.";
    throw new AppError("VALIDATION", message, { current: [message] });
  }
  const passwordHash = await hashPassword(input.next);
  await authorizedWrite(
    ctx,
    { permission: "account:change-password", loadTarget: async () => ({ ownerId: userId }) },
    async (tx, audit) => {
      // Changed since it was checked (a parallel change): the check no longer holds.
      const current = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
      if (current.passwordHash !== user.passwordHash)
        throw new AppError("CONFLICT", "Your password was just changed elsewhere. Sign in again.");
      await tx.user.update({
        where: { id: userId },
        data: { passwordHash, mustChangePassword: false, ...guessRight },
      });
      await audit({
        action: "user.password-change",
        targetType: "user",
        targetId: userId,
        summary: `${user.email} changed their password`,
        details: { email: user.email },
      });
      // All of them, the one this change came from too: a stolen copy of its cookie must stop working.
      await endSessionsOf(tx, audit, user, "password changed");
    },
  );
}
