import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { endSessionsOf } from "@/lib/sessions/session-state";
import { revokeTokensOf } from "@/lib/tokens/revoke-token";

/**
 * Sets a new one-time password (shown once to the admin) and lifts any lock-out. A reset is what an admin
 * does when a password may be known to someone else, so everything issued under it ends: sessions and tokens.
 */
export async function resetPassword(ctx: WriteContext, id: string): Promise<{ oneTimePassword: string }> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await authorizedWrite(ctx, { permission: "user:manage" }, async (tx, audit) => {
    const user = await tx.user.findUnique({ where: { id }, select: { id: true, email: true, isServiceAccount: true } });
    if (!user) throw new AppError("NOT_FOUND", "That user does not exist.");
    // Service accounts act only through API tokens; a password would let one sign in to the dashboard.
    if (user.isServiceAccount)
      throw new AppError("VALIDATION", "A service account has no password; create an API token for it instead.");
    await tx.user.update({
      where: { id },
      data: { passwordHash, mustChangePassword: true, failedSignIns: 0, lockedUntil: null },
    });
    await audit({
      action: "user.password-reset",
      targetType: "user",
      targetId: id,
      summary: `Password reset for ${user.email}`,
      details: { email: user.email },
    });
    await endSessionsOf(tx, audit, user, "password reset by an admin");
    await revokeTokensOf(tx, audit, user, ctx.actor.id, "password reset by an admin");
  });
  return { oneTimePassword: password };
}
