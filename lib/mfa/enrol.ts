import "server-only";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission, type Actor, type Role } from "@/lib/authz/policy";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { requireRecentSignIn } from "@/lib/sessions/limits";
import { endSessionsOf } from "@/lib/sessions/session-state";
import {
  acceptedTimeStep,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  openSecret,
  sealSecret,
  totpEnrolment,
} from "@/lib/mfa/factors";
import { mfaSettings } from "@/lib/mfa/queries";
import { secondFactorRequired } from "@/lib/mfa/requirement";
import { CHALLENGE_MS, registrationOptions, verifyRegistration } from "@/lib/mfa/passkeys";

// Enrolling, removing and resetting second factors. An enrolment is a ceremony kept on the person's
// session row (the TOTP secret being set up, or the passkey challenge), so nothing half-made is ever a
// factor: the factor row is written only once its first code or signature proves it works.

export type SessionActor = Extract<Actor, { kind: "user" }> & { session: { id: string; authenticatedAt: Date } };

function sessionActor(ctx: WriteContext): SessionActor {
  const actor = ctx.actor;
  if (actor.kind !== "user" || !actor.session)
    throw new AppError("FORBIDDEN", "Second factors are enrolled from a signed-in session.");
  return actor as SessionActor;
}

const own = (actor: SessionActor) => ({
  permission: "mfa:manage-own" as const,
  loadTarget: async () => ({ ownerId: actor.id }),
});

/** Keeps a ceremony's state on the session: bookkeeping on an audited row, like its last-seen time. */
export async function keepCeremony(ctx: WriteContext, actor: SessionActor, challenge: string | null) {
  await authorizedWrite(
    ctx,
    { permission: "session:touch", countsOnly: "session:touch", loadTarget: async () => ({ ownerId: actor.id }) },
    async (tx) => {
      await tx.userSession.updateMany({
        where: { id: actor.session.id, userId: actor.id, endedAt: null },
        data: { challenge, challengeAt: challenge ? new Date() : null },
      });
    },
  );
}

export async function ceremony(actor: SessionActor, prefix: "totp:" | "passkey:"): Promise<string> {
  const row = await db.userSession.findUnique({
    where: { id: actor.session.id },
    select: { challenge: true, challengeAt: true },
  });
  const fresh = row?.challengeAt && Date.now() - row.challengeAt.getTime() <= CHALLENGE_MS * 2;
  if (!row?.challenge?.startsWith(prefix) || !fresh) {
    const expired = "This step has expired or was started in another tab: start it again.";
    throw new AppError("VALIDATION", expired, { [prefix === "totp:" ? "code" : "passkey"]: [expired] });
  }
  return row.challenge.slice(prefix.length);
}

/** Starts adding an authenticator app: the secret (shown once, as text and as a QR code) to scan. */
export async function startTotpEnrolment(ctx: WriteContext) {
  const actor = sessionActor(ctx);
  requireRolePermission(actor, "mfa:manage-own");
  // A factor added from a session left open would let whoever sat down pass the second step for good.
  requireRecentSignIn(actor.session, "adding a second factor");
  const secret = newTotpSecret();
  await keepCeremony(ctx, actor, `totp:${sealSecret(secret, actor.id)}`);
  return { secret, ...(await totpEnrolment(actor.email, secret)) };
}

/** The app's first code proves it was set up right; the factor exists from then on. */
export async function confirmTotpEnrolment(ctx: WriteContext, code: string, label: string) {
  const actor = sessionActor(ctx);
  const secret = openSecret(await ceremony(actor, "totp:"), actor.id);
  const step = secret ? await acceptedTimeStep(secret, code, null) : null;
  if (step === null)
    throw new AppError("VALIDATION", "That code is not right. Check the app's clock and enter the current code.", {
      code: ["That code is not right."],
    });
  return finishEnrolment(ctx, actor, {
    kind: "totp",
    label: label || "Authenticator app",
    secret: sealSecret(secret!, actor.id),
    lastTimeStep: step,
  });
}

/** Starts adding a passkey: the options the browser's WebAuthn call needs. */
export async function startPasskeyEnrolment(ctx: WriteContext) {
  const actor = sessionActor(ctx);
  requireRolePermission(actor, "mfa:manage-own");
  requireRecentSignIn(actor.session, "adding a second factor");
  const existing = await db.mfaFactor.findMany({
    where: { userId: actor.id, kind: "passkey" },
    select: { credentialId: true, transports: true },
  });
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true } });
  const options = await registrationOptions(
    { id: actor.id, email: actor.email, name: user.name },
    existing.map((p) => ({ credentialId: p.credentialId ?? "", transports: p.transports })),
  );
  await keepCeremony(ctx, actor, `passkey:${options.challenge}`);
  return options;
}

export async function confirmPasskeyEnrolment(ctx: WriteContext, response: unknown, label: string) {
  const actor = sessionActor(ctx);
  const challenge = await ceremony(actor, "passkey:");
  const passkey = await verifyRegistration(response, challenge);
  return finishEnrolment(ctx, actor, { kind: "passkey", label: label || "Passkey", ...passkey });
}

type NewFactor =
  | { kind: "totp"; label: string; secret: string; lastTimeStep: number }
  | { kind: "passkey"; label: string; credentialId: string; publicKey: string; counter: number; transports: string };

/**
 * Writes the proven factor. The person's first factor comes with recovery codes (returned once, kept
 * hashed); a session that had to enrol is open from now on.
 */
async function finishEnrolment(
  ctx: WriteContext,
  actor: SessionActor,
  factor: NewFactor,
): Promise<{ recoveryCodes: string[] | null }> {
  const label = factor.label.trim().slice(0, 80);
  return authorizedWrite(ctx, own(actor), async (tx, audit) => {
    const cleared = await tx.userSession.updateMany({
      where: { id: actor.session.id, endedAt: null, challenge: { not: null } },
      data: { challenge: null, challengeAt: null },
    });
    if (!cleared.count) throw new AppError("CONFLICT", "This enrolment was already finished or has ended.");
    if (factor.kind === "passkey" && (await tx.mfaFactor.count({ where: { credentialId: factor.credentialId } })))
      throw new AppError("CONFLICT", "This passkey is already registered.");
    const created = await tx.mfaFactor.create({
      data: { userId: actor.id, ...factor, label, confirmedAt: new Date() },
      select: { id: true },
    });
    const unused = await tx.recoveryCode.count({ where: { userId: actor.id, usedAt: null } });
    const recoveryCodes = unused ? null : await replaceRecoveryCodes(tx, actor.id);
    const session = await tx.userSession.findUniqueOrThrow({
      where: { id: actor.session.id },
      select: { stage: true, amr: true },
    });
    const method = factor.kind === "totp" ? "otp" : "hwk";
    await tx.userSession.update({
      where: { id: actor.session.id },
      data: {
        stage: session.stage === "enrol" ? "active" : session.stage,
        amr: [...new Set([...session.amr.split(" ").filter(Boolean), method, "mfa"])].join(" "),
      },
    });
    const kind = factor.kind === "totp" ? "authenticator app" : "passkey";
    await audit({
      action: "mfa.enrol",
      targetType: "user",
      targetId: actor.id,
      // The default label is the kind itself ("Authenticator app"): it is not said twice.
      summary: `${actor.email} added a second factor: ${label.toLowerCase() === kind ? label : `${label} (${kind})`}`,
      details: {
        email: actor.email,
        factor: created.id,
        kind: factor.kind,
        label,
        recoveryCodesIssued: !!recoveryCodes,
      },
    });
    return { recoveryCodes };
  });
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) });
  return codes;
}

/** New recovery codes (the old ones stop working), for a person who has a second factor. */
export async function regenerateRecoveryCodes(ctx: WriteContext): Promise<string[]> {
  const actor = sessionActor(ctx);
  requireRecentSignIn(actor.session, "this");
  return authorizedWrite(ctx, own(actor), async (tx, audit) => {
    if (!(await tx.mfaFactor.count({ where: { userId: actor.id } })))
      throw new AppError("VALIDATION", "Add an authenticator app or a passkey first.");
    const codes = await replaceRecoveryCodes(tx, actor.id);
    await audit({
      action: "mfa.recovery-codes",
      targetType: "user",
      targetId: actor.id,
      summary: `${actor.email} replaced their recovery codes`,
      details: { email: actor.email, codes: codes.length },
    });
    return codes;
  });
}

/** Removes one of one's own factors; the last one only when no second factor is required of the person. */
export async function removeFactor(ctx: WriteContext, factorId: string): Promise<void> {
  const actor = sessionActor(ctx);
  requireRecentSignIn(actor.session, "this");
  const { requiredFor } = await mfaSettings();
  await authorizedWrite(ctx, own(actor), async (tx, audit) => {
    // The person's row is locked first, so two removals at once cannot each count the other as left.
    await tx.user.update({ where: { id: actor.id }, data: { updatedAt: new Date() } });
    const factor = await tx.mfaFactor.findFirst({ where: { id: factorId, userId: actor.id } });
    if (!factor) throw new AppError("NOT_FOUND", "No such second factor of yours.");
    const others = await tx.mfaFactor.count({ where: { userId: actor.id, id: { not: factorId } } });
    if (!others && secondFactorRequired(actor.role, requiredFor))
      throw new AppError(
        "VALIDATION",
        "A second factor is required for your account: add another one before removing the last.",
      );
    await tx.mfaFactor.delete({ where: { id: factorId } });
    if (!others) await tx.recoveryCode.deleteMany({ where: { userId: actor.id } });
    await audit({
      action: "mfa.remove",
      targetType: "user",
      targetId: actor.id,
      summary: `${actor.email} removed a second factor: ${factor.label}`,
      details: { email: actor.email, factor: factor.id, kind: factor.kind, label: factor.label },
    });
  });
}

/**
 * An administrator's reset of a person's second factors (a lost phone and no recovery codes): factors and
 * recovery codes go, every session of the person ends, and they enrol again at their next sign-in.
 */
export async function resetFactorsOf(ctx: WriteContext, userId: string): Promise<void> {
  requireRolePermission(ctx.actor, "mfa:reset-any");
  await authorizedWrite(ctx, { permission: "mfa:reset-any" }, async (tx, audit) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true } });
    if (!user) throw new AppError("NOT_FOUND", "No such person.");
    const { count } = await tx.mfaFactor.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await audit({
      action: "mfa.reset",
      targetType: "user",
      targetId: userId,
      summary: `Second factors of ${user.email} reset (${count} removed)`,
      details: { email: user.email, factors: count, role: user.role as Role },
    });
    await endSessionsOf(tx, audit as (entry: AuditInput) => Promise<void>, user, "second factors reset");
  });
}
