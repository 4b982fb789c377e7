import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/authz/policy";
import { textProblem } from "@/lib/input/text";
import { noteAuthFailure } from "@/lib/http/rate-limit";
import { recordFailure, storable, type Failure } from "@/lib/auth/failure-record";
import { startSession, type SessionStage } from "@/lib/sessions/session-state";
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

export const LOCKOUT_THRESHOLD = Math.max(1, Number(process.env.APILEDGER_LOCKOUT_THRESHOLD ?? 5));
export const LOCKOUT_MINUTES = Math.max(1, Number(process.env.APILEDGER_LOCKOUT_MINUTES ?? 15));

const SYSTEM = (email: string) => ({ kind: "system" as const, id: null, email });

/**
 * Checks a password sign-in. Every attempt — success or failure, known account or not — is recorded
 * with time, account and source address (ISM: alert on failed authentication); repeated failures from
 * one address for one reason within a minute share a row with a count (lib/auth/failure-record.ts). After
 * LOCKOUT_THRESHOLD failures in a row the account is locked for LOCKOUT_MINUTES, and during the lock
 * even the right password is refused. An e-mail that breaks the outside-text rule (NUL, lone surrogate…)
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
  const locked = !!user?.lockedUntil && user.lockedUntil > now;
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
      user && !locked ? user : null,
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
      // alone never resets the guesses at a six-digit code.
      const factors = await tx.mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } });
      const stage: SessionStage = factors
        ? "second-factor"
        : secondFactorRequired(user.role as Role, (await mfaSettings(tx)).requiredFor)
          ? "enrol"
          : "active";
      await tx.signInEvent.create({ data: { email, userId: user.id, success: true, reason, ip: meta.ip, userAgent } });
      await tx.user.update({
        where: { id: user.id },
        data:
          stage === "second-factor"
            ? { lockedUntil: null }
            : { failedSignIns: 0, lockedUntil: null, lastSignInAt: now },
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
        details: { email, success: true, reason, method: "password", userAgent, session, stage },
      });
      return { sessionId: session, stage };
    },
  );
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role, sessionId, stage };
}

/**
 * A failed sign-in: the account's failure count (and lock-out, always written with its own entry), and
 * the attempt itself, aggregated per address, reason and minute.
 */
export async function recordSignInFailure(
  failure: Failure,
  countOn: { id: string; failedSignIns: number } | null,
  now = new Date(),
): Promise<void> {
  noteAuthFailure(failure.ip);
  const { email, reason } = failure;
  const details = { email, success: false, reason, method: "password", userAgent: failure.userAgent };
  await authorizedWrite(
    { actor: SYSTEM(email), ip: failure.ip },
    { permission: "auth:record-sign-in", countsOnly: "auth:record-sign-in" },
    async (tx, audit) => {
      if (countOn) {
        const failures = countOn.failedSignIns + 1;
        const lockedNow = failures >= LOCKOUT_THRESHOLD;
        await tx.user.update({
          where: { id: countOn.id },
          data: {
            failedSignIns: lockedNow ? 0 : failures,
            lockedUntil: lockedNow ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : undefined,
          },
        });
        if (lockedNow) {
          await tx.signInEvent.create({
            data: {
              email,
              userId: countOn.id,
              success: false,
              reason,
              ip: failure.ip,
              userAgent: failure.userAgent,
              at: now,
            },
          });
          await audit({
            action: "auth.lockout",
            targetType: "user",
            targetId: countOn.id,
            summary: `Account locked after ${LOCKOUT_THRESHOLD} failed sign-ins: ${email}`,
            details,
          });
          return;
        }
      }
      await recordFailure(
        tx,
        audit,
        failure,
        {
          action: "auth.sign-in-failed",
          targetType: "user",
          targetId: failure.userId ?? email,
          summary: `Failed sign-in for ${email} (${reason})`,
          details,
        },
        now,
      );
    },
  );
}
