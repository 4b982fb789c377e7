import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { recordFailure, type Failure } from "@/lib/auth/failure-record";
import { AppError } from "@/lib/errors";
import { noteAuthFailure, rateLimited, takeAddressRequest } from "@/lib/http/rate-limit";

// Guesses at an account's secrets (password at sign-in or re-authentication, second factor) and the
// lock-out they lead to. A guess is counted *before* it is checked, by one conditional update that
// refuses once LOCKOUT_THRESHOLD guesses are counted or the account is locked. So a hundred guesses sent
// in parallel get LOCKOUT_THRESHOLD checks, not a hundred: no guess is ever checked against a count read
// before the others landed. The guess that uses up the allowance locks the account at once (for
// LOCKOUT_MINUTES), so a guess whose outcome is never recorded (a crash, a conflict) cannot leave an
// account refused for ever: every lock ends, and an ended lock starts a new count. A right answer lifts
// the lock its own guess set and gives its guess back (the session opening resets the count).

export const LOCKOUT_THRESHOLD = Math.max(1, Number(process.env.APILEDGER_LOCKOUT_THRESHOLD ?? 5));
export const LOCKOUT_MINUTES = Math.max(1, Number(process.env.APILEDGER_LOCKOUT_MINUTES ?? 15));

const SYSTEM = (email: string) => ({ kind: "system" as const, id: null, email });

/** A counted guess (its number in the run of failures), or null: the account is locked, nothing may be checked. */
export type Guess = number | null;

/**
 * Counts one guess at the account's secret before it is checked. Null when the account is locked or
 * its guesses are used up (by guesses still being checked in parallel): the caller refuses without checking.
 */
export async function claimGuess(user: { id: string; email: string }, ip: string, now = new Date()): Promise<Guess> {
  return authorizedWrite(
    { actor: SYSTEM(user.email), ip },
    { permission: "auth:record-sign-in", countsOnly: "auth:record-sign-in" },
    async (tx) => {
      // A lock that has run out is over: its count starts again.
      await tx.user.updateMany({
        where: { id: user.id, lockedUntil: { lte: now } },
        data: { failedSignIns: 0, lockedUntil: null },
      });
      const [row] = await tx.user.updateManyAndReturn({
        where: { id: user.id, failedSignIns: { lt: LOCKOUT_THRESHOLD }, lockedUntil: null },
        data: { failedSignIns: { increment: 1 } },
        select: { failedSignIns: true },
      });
      if (!row) return null;
      if (row.failedSignIns >= LOCKOUT_THRESHOLD)
        await tx.user.update({ where: { id: user.id }, data: { lockedUntil: lockEnd(now) } });
      return row.failedSignIns;
    },
  );
}

const lockEnd = (now: Date) => new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);

/** A right answer: the count starts again and a lock its own guess set is lifted. */
export const guessRight = { failedSignIns: 0, lockedUntil: null } as const;

/** The pre-authentication limit of the source address (APILEDGER_ADDRESS_RATE_PER_MINUTE and the failure cap). */
export async function takeGuessFrom(ip: string): Promise<void> {
  const limit = await takeAddressRequest(ip);
  if (!limit.ok) throw rateLimited(limit);
}

/**
 * A wrong answer (or a refused one): the attempt, aggregated per address, reason and minute, and — when
 * it was the guess that used up the account's allowance — the lock-out, always with its own entry.
 * `guess` is claimGuess's answer, or null for failures that count on no account (unknown e-mail, locked).
 */
export async function recordSignInFailure(failure: Failure, guess: Guess, now = new Date()): Promise<void> {
  await noteAuthFailure(failure.ip);
  const { email, reason } = failure;
  const details = { email, success: false, reason, method: "password", userAgent: failure.userAgent };
  await authorizedWrite(
    { actor: SYSTEM(email), ip: failure.ip },
    { permission: "auth:record-sign-in", countsOnly: "auth:record-sign-in" },
    async (tx, audit) => {
      if (failure.userId && guess !== null && guess >= LOCKOUT_THRESHOLD) {
        await tx.user.update({
          where: { id: failure.userId },
          data: { failedSignIns: 0, lockedUntil: lockEnd(now) },
        });
        await tx.signInEvent.create({
          data: {
            email,
            userId: failure.userId,
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
          targetId: failure.userId,
          summary: `Account locked after ${LOCKOUT_THRESHOLD} failed sign-ins: ${email}`,
          details,
        });
        return;
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

/** The refusal a locked account's guess gets. */
export const lockedOut = () =>
  new AppError(
    "UNAUTHENTICATED",
    `The account is locked after repeated failed attempts; try again in ${LOCKOUT_MINUTES} minutes.`,
  );
