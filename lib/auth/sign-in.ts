import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/authz/policy";
import { textProblem } from "@/lib/input/text";
import { storable } from "@/lib/auth/failure-record";
import { claimGuess, guessRight, recordSignInFailure } from "@/lib/auth/guesses";
import { sessionRef, startSession, type SessionStage } from "@/lib/sessions/session-state";
import { mfaSettings } from "@/lib/mfa/queries";
import { secondFactorRequired } from "@/lib/mfa/requirement";

export type SignInMeta = { ip: string; userAgent: string };
export type SignedInUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
  stage: SessionStage;
};

const SYSTEM = (email: string) => ({ kind: "system" as const, id: null, email });

/**
 * Checks a password sign-in. Every attempt — success or failure, known account or not — is recorded
 * with time, account and source address (ISM: alert on failed authentication); repeated failures from
 * one address for one reason within a minute share a row with a count (lib/auth/failure-record.ts). Each
 * guess is counted before the password is checked (lib/auth/guesses.ts): after LOCKOUT_THRESHOLD failures
 * in a row the account is locked for LOCKOUT_MINUTES, and during the lock even the right password is refused. An e-mail that breaks the outside-text rule (NUL, lone surrogate…)
 * is refused before any query, so no database error text can ever reach the caller.
 */
export async function attemptPasswordSignIn(
  emailRaw: string,
  password: string,
  meta: SignInMeta,
): Promise<SignedInUser | null> {
  const email = emailRaw.trim().toLowerCase().slice(0, 320);
  const userAgent = storable(meta.userAgent, 300);
  if (textProblem(email)) {
    await verifyPassword(password, undefined);
    await recordSignInFailure(
      { kind: "password", email: storable(email, 320), userId: null, reason: "invalid e-mail", ip: meta.ip, userAgent },
      null,
    );
    return null;
  }
  const user = await db.user.findUnique({ where: { email } });
  const now = new Date();
  const guess = user?.isActive ? await claimGuess(user, meta.ip, now) : null;
  const locked = !!user?.isActive && guess === null;
  // Always run the hash, so response time does not reveal whether the account exists or is locked.
  const passwordOk = await verifyPassword(password, user?.passwordHash);
  const reason = !user
    ? "unknown account"
    : !user.isActive
      ? "account deactivated"
      : locked
        ? "account locked"
        : !passwordOk
          ? "wrong password"
          : "";

  if (reason || !user) {
    await recordSignInFailure(
      { kind: "password", email, userId: user?.id ?? null, reason, ip: meta.ip, userAgent },
      reason === "wrong password" ? guess : null,
      now,
    );
    return null;
  }
  const { sessionId, stage } = await authorizedWrite(
    { actor: SYSTEM(email), ip: meta.ip },
    { permission: "auth:record-sign-in" },
    async (tx, audit) => {
      // With a second factor enrolled the session waits for it; without one, where one is required, the
      // person enrols before anything else. Only an open session clears the failure count, so the password
      // alone never resets the guesses at a six-digit code: it only gives back its own.
      const factors = await tx.mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } });
      const stage: SessionStage = factors
        ? "second-factor"
        : secondFactorRequired(user.role as Role, (await mfaSettings(tx)).requiredFor)
          ? "enrol"
          : "active";
      await tx.signInEvent.create({ data: { email, userId: user.id, success: true, reason, ip: meta.ip, userAgent } });
      if (stage === "second-factor")
        await tx.user.updateMany({
          where: { id: user.id, failedSignIns: { gt: 0 } },
          data: { failedSignIns: { decrement: 1 }, lockedUntil: null },
        });
      else
        await tx.user.update({
          where: { id: user.id },
          data: { ...guessRight, lastSignInAt: now },
        });
      const session = await startSession(
        tx,
        { userId: user.id, method: "password", ip: meta.ip, userAgent, stage, amr: "pwd" },
        now,
      );
      await audit({
        action: "auth.sign-in",
        targetType: "user",
        targetId: user.id,
        summary:
          stage === "second-factor"
            ? `Password accepted, second factor owed: ${email}`
            : stage === "enrol"
              ? `Signed in, must enrol a second factor: ${email}`
              : `Signed in: ${email}`,
        details: { email, success: true, reason, method: "password", userAgent, session: sessionRef(session), stage },
      });
      return { sessionId: session, stage };
    },
  );
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role, sessionId, stage };
}
