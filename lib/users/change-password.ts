import "server-only";
import { z } from "zod";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";
import { PASSWORD_MIN_LENGTH, hashPassword, verifyPassword } from "@/lib/auth/password";
import { parseOrThrow } from "@/lib/input/validation";
import { endSessionsOf } from "@/lib/sessions/session-state";

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

export async function changeOwnPassword(ctx: WriteContext, rawInput: unknown): Promise<void> {
  const input = parseOrThrow(ZPasswordChange, rawInput);
  const userId = ctx.actor.id;
  if (!userId) throw new AppError("FORBIDDEN", "Only a signed-in person can change their password.");
  const passwordHash = await hashPassword(input.next);
  await authorizedWrite(
    ctx,
    { permission: "account:change-password", loadTarget: async () => ({ ownerId: userId }) },
    async (tx, audit) => {
      const user = await tx.user.findUniqueOrThrow({
        where: { id: userId },
        select: { id: true, email: true, passwordHash: true },
      });
      if (!(await verifyPassword(input.current, user.passwordHash))) {
        throw new AppError("VALIDATION", "Your current password is not right.", {
          current: ["Your current password is not right."],
        });
      }
      await tx.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: false } });
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
