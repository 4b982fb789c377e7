import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { verifyPassword } from "@/lib/auth/password";
import { claimGuess, guessRight, LOCKOUT_MINUTES, recordSignInFailure, takeGuessFrom } from "@/lib/auth/guesses";
import { storable } from "@/lib/auth/failure-record";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { sessionRef } from "@/lib/sessions/session-state";

/**
 * Proves again who is at the keyboard (before creating a token): the password checked like a sign-in —
 * a wrong one counts toward the lock-out (counted before it is checked, lib/auth/guesses.ts) and feeds
 * the same failed-authentication alerts, and the source address's pre-authentication limit applies — and
 * on success the session's authentication time is renewed. Single sign-on accounts sign in again instead.
 */
export async function reauthenticate(ctx: WriteContext, password: string, userAgent: string): Promise<void> {
  const actor = ctx.actor;
  if (actor.kind !== "user" || !actor.session)
    throw new AppError("FORBIDDEN", "Only a signed-in session can be confirmed.");
  const session = actor.session;
  const ip = ctx.ip ?? "";
  await takeGuessFrom(ip);
  const user = await db.user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { id: true, email: true, passwordHash: true },
  });
  if (!user.passwordHash)
    throw new AppError("VALIDATION", "Your account signs in with single sign-on: sign out and sign in again.");
  const now = new Date();
  const guess = await claimGuess(user, ip, now);
  const locked = guess === null;
  const ok = (await verifyPassword(password.slice(0, 1024), user.passwordHash)) && !locked;
  if (!ok) {
    await recordSignInFailure(
      {
        kind: "password",
        email: user.email,
        userId: user.id,
        reason: locked ? "account locked" : "wrong password (re-authentication)",
        ip,
        userAgent: storable(userAgent, 300),
      },
      guess,
      now,
    );
    throw new AppError(
      "VALIDATION",
      locked ? `The account is locked; try again in ${LOCKOUT_MINUTES} minutes.` : "That password is not right.",
      { password: [locked ? "The account is locked." : "That password is not right."] },
    );
  }
  await authorizedWrite(
    ctx,
    { permission: "session:manage-own", loadTarget: async () => ({ ownerId: actor.id }) },
    async (tx, audit) => {
      const { count } = await tx.userSession.updateMany({
        where: { id: session.id, userId: actor.id, endedAt: null },
        data: { authenticatedAt: now },
      });
      if (!count) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
      await tx.user.update({ where: { id: actor.id }, data: guessRight });
      await audit({
        action: "auth.reauthenticate",
        targetType: "user",
        targetId: actor.id,
        summary: `${actor.email} confirmed their password`,
        details: { email: actor.email, session: sessionRef(session.id) },
      });
    },
  );
}
