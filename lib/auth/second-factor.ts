import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { claimGuess, guessRight, lockedOut, recordSignInFailure, takeGuessFrom } from "@/lib/auth/guesses";
import { storable } from "@/lib/auth/failure-record";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { acceptedTimeStep, hashRecoveryCode, isSealed, openSecret, sealSecret } from "@/lib/mfa/factors";
import { ceremony, keepCeremony, type SessionActor } from "@/lib/mfa/enrol";
import { endSessionsOf, sessionRef } from "@/lib/sessions/session-state";
import { authenticationOptions, responseCredentialId, verifyAssertion } from "@/lib/mfa/passkeys";

// The second step of a password sign-in. The session exists since the right password but opens nothing
// (lib/auth/current-actor.ts) until one of the person's factors is given here. A wrong one counts toward
// the account's lock-out and feeds the failed-authentication alerts exactly like a wrong password, so the
// password alone never buys unlimited guesses at six digits.

export type SecondFactorInput =
  { kind: "totp"; code: string } | { kind: "recovery"; code: string } | { kind: "passkey"; response: unknown };

const SYSTEM = (email: string) => ({ kind: "system" as const, id: null, email });
const NAMES = { totp: "authenticator app", recovery: "recovery code", passkey: "passkey" } as const;
const AMR = { totp: "otp", recovery: "rec", passkey: "hwk" } as const;

type Meta = { ip: string; userAgent: string };

/** The options for the browser's passkey prompt, with the challenge kept on the pending session. */
export async function passkeySignInOptions(actor: SessionActor, ip: string) {
  const passkeys = await db.mfaFactor.findMany({
    where: { userId: actor.id, kind: "passkey", confirmedAt: { not: null } },
    select: { credentialId: true, transports: true },
  });
  if (!passkeys.length)
    throw new AppError("VALIDATION", "You have no passkey: use your authenticator app or a recovery code.");
  const options = await authenticationOptions(
    passkeys.map((p) => ({ credentialId: p.credentialId ?? "", transports: p.transports })),
  );
  await keepCeremony({ actor, ip }, actor, `passkey:${options.challenge}`);
  return options;
}

type Proof =
  | { kind: "totp"; factorId: string; timeStep: number; reseal: string | null }
  | { kind: "passkey"; factorId: string; counter: number }
  | { kind: "recovery"; codeId: string };

async function check(actor: SessionActor, input: SecondFactorInput): Promise<Proof | null> {
  if (input.kind === "totp") {
    const factors = await db.mfaFactor.findMany({
      where: { userId: actor.id, kind: "totp", confirmedAt: { not: null } },
      select: { id: true, secret: true, lastTimeStep: true },
    });
    for (const f of factors) {
      const secret = f.secret ? openSecret(f.secret, actor.id) : null;
      const step = secret ? await acceptedTimeStep(secret, input.code.slice(0, 20), f.lastTimeStep) : null;
      // A secret stored before sealing existed is sealed at its first use.
      if (step !== null)
        return {
          kind: "totp",
          factorId: f.id,
          timeStep: step,
          reseal: f.secret && !isSealed(f.secret) ? sealSecret(f.secret, actor.id) : null,
        };
    }
    return null;
  }
  if (input.kind === "recovery") {
    const row = await db.recoveryCode.findFirst({
      where: { userId: actor.id, codeHash: hashRecoveryCode(input.code.slice(0, 40)), usedAt: null },
      select: { id: true },
    });
    return row ? { kind: "recovery", codeId: row.id } : null;
  }
  const challenge = await ceremony(actor, "passkey:").catch(() => null);
  const credentialId = responseCredentialId(input.response);
  if (!challenge || !credentialId) return null;
  const factor = await db.mfaFactor.findFirst({
    where: { userId: actor.id, kind: "passkey", credentialId, confirmedAt: { not: null } },
  });
  if (!factor?.publicKey) return null;
  const counter = await verifyAssertion(input.response, challenge, {
    credentialId,
    publicKey: factor.publicKey,
    counter: factor.counter,
    transports: factor.transports,
  });
  return counter === null ? null : { kind: "passkey", factorId: factor.id, counter };
}

/**
 * Checks the second factor of a session waiting for one. Right: the session opens (amr records which
 * factor), the factor's replay guard moves on (TOTP time step, passkey counter, recovery code used).
 * Wrong: a failed sign-in like a wrong password; at the lock-out the waiting session ends too.
 */
export async function giveSecondFactor(actor: SessionActor, input: SecondFactorInput, meta: Meta): Promise<void> {
  await takeGuessFrom(meta.ip);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { id: true, email: true } });
  const now = new Date();
  const guess = await claimGuess(user, meta.ip, now);
  const locked = guess === null;
  const proof = locked ? null : await check(actor, input);
  const userAgent = storable(meta.userAgent, 300);
  if (!proof) {
    await recordSignInFailure(
      {
        kind: "password",
        email: user.email,
        userId: user.id,
        reason: locked ? "account locked" : `wrong second factor (${NAMES[input.kind]})`,
        ip: meta.ip,
        userAgent,
      },
      guess,
      now,
    );
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { lockedUntil: true } });
    if (after.lockedUntil && after.lockedUntil > now) {
      await authorizedWrite(
        { actor: SYSTEM(user.email), ip: meta.ip },
        // A parallel wrong guess may have ended it already: then there is nothing to record.
        { permission: "auth:record-sign-in", countsOnly: "auth:record-sign-in" },
        (tx, audit) =>
          endSessionsOf(tx, audit, user, "account locked while the second factor was owed", {
            onlyId: actor.session.id,
            now,
          }),
      );
      throw lockedOut();
    }
    throw new AppError(
      "VALIDATION",
      input.kind === "passkey" ? "The passkey was not accepted." : `That ${NAMES[input.kind]} code is not right.`,
      input.kind === "passkey" ? {} : { code: ["That code is not right."] },
    );
  }
  await authorizedWrite(
    { actor: SYSTEM(user.email), ip: meta.ip },
    { permission: "auth:record-sign-in" },
    async (tx, audit) => {
      // Each guard is a conditional update, so two tabs racing with the same code cannot both win.
      const guarded =
        proof.kind === "totp"
          ? await tx.mfaFactor.updateMany({
              where: { id: proof.factorId, OR: [{ lastTimeStep: null }, { lastTimeStep: { lt: proof.timeStep } }] },
              data: {
                lastTimeStep: proof.timeStep,
                lastUsedAt: now,
                ...(proof.reseal ? { secret: proof.reseal } : {}),
              },
            })
          : proof.kind === "passkey"
            ? await tx.mfaFactor.updateMany({
                // The signature counter must move on (a cloned authenticator's lags behind); authenticators
                // that keep no counter (always 0) rely on the single-use challenge instead.
                where: { id: proof.factorId, ...(proof.counter > 0 ? { counter: { lt: proof.counter } } : {}) },
                data: { counter: proof.counter, lastUsedAt: now },
              })
            : await tx.recoveryCode.updateMany({ where: { id: proof.codeId, usedAt: null }, data: { usedAt: now } });
      const opened = await tx.userSession.updateMany({
        where: { id: actor.session.id, stage: "second-factor", endedAt: null },
        data: {
          stage: "active",
          authenticatedAt: now,
          amr: `pwd ${AMR[input.kind]} mfa`,
          challenge: null,
          challengeAt: null,
        },
      });
      if (!guarded.count || !opened.count)
        throw new AppError("CONFLICT", "That code was just used. Wait for the next one and try again.");
      await tx.user.update({ where: { id: user.id }, data: { ...guessRight, lastSignInAt: now } });
      const left =
        proof.kind === "recovery" ? await tx.recoveryCode.count({ where: { userId: user.id, usedAt: null } }) : null;
      await audit({
        action: "auth.second-factor",
        targetType: "user",
        targetId: user.id,
        summary: `Second factor given by ${user.email} (${NAMES[input.kind]})${left !== null ? `, ${left} recovery code(s) left` : ""}`,
        details: {
          email: user.email,
          factor: NAMES[input.kind],
          session: sessionRef(actor.session.id),
          ...(left !== null ? { recoveryCodesLeft: left } : {}),
        },
      });
    },
  );
}
