import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo, SYSTEM_ACTOR } from "@/prisma/seed";
import type { Actor, Role } from "@/lib/authz/policy";
import { attemptPasswordSignIn } from "@/lib/auth/sign-in";
import { LOCKOUT_THRESHOLD } from "@/lib/auth/guesses";
import { giveSecondFactor } from "@/lib/auth/second-factor";
import { liveSession } from "@/lib/sessions/session-state";
import { sessionEndReason } from "@/lib/sessions/limits";
import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  removeFactor,
  resetFactorsOf,
  startTotpEnrolment,
  type SessionActor,
} from "@/lib/mfa/enrol";
import { createUser } from "@/lib/users/create-user";
import { updateSettings } from "@/lib/settings/update-settings";
import { getSettings } from "@/lib/settings/queries";
import type { MfaRequirement } from "@/lib/mfa/requirement";
import { signInWithOidc } from "@/lib/auth/oidc-sign-in";

// Second factors against both databases, through the services the pages call: who must enrol, TOTP codes
// computed as an app would, replay, the lock-out on wrong factors, recovery codes, removal and an
// admin's reset.

const PASSWORD = "a-long-enough-passphrase-1";
const meta = { ip: "198.51.100.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0" };
const ctx = { actor: SYSTEM_ACTOR, ip: "test" };
let serial = 0;

async function newPerson(role: Role) {
  const email = `mfa.${++serial}.${Date.now()}@example.com`;
  const { id } = await createUser(ctx, { email, name: `MFA ${serial}`, role, teamId: "" }, { password: PASSWORD });
  return { id, email, role };
}

/** Signs in with the password: the session (as the actor its cookie gives) and its stage. */
async function signIn(email: string) {
  const signed = await attemptPasswordSignIn(email, PASSWORD, meta);
  if (!signed) throw new Error(`refused: ${email}`);
  const row = await db.userSession.findUniqueOrThrow({ where: { id: signed.sessionId } });
  const actor: SessionActor = {
    kind: "user",
    id: signed.id,
    email,
    role: signed.role,
    teamId: null,
    session: { id: row.id, authenticatedAt: row.authenticatedAt },
  };
  return { actor, stage: signed.stage, sessionId: signed.sessionId };
}

async function enrolTotp(actor: SessionActor) {
  const { secret, uri, svg } = await startTotpEnrolment({ actor, ip: meta.ip });
  expect(uri).toMatch(/^otpauth:\/\/totp\/ApiLedger:.+\?secret=/);
  expect(svg).toContain("<svg");
  // The secret being set up is kept on the session sealed, never as given to the app.
  const pending = await db.userSession.findUniqueOrThrow({ where: { id: actor.session.id } });
  expect(pending.challenge).toMatch(/^totp:v1:/);
  expect(pending.challenge).not.toContain(secret);
  const { recoveryCodes } = await confirmTotpEnrolment({ actor, ip: meta.ip }, await generate({ secret }), "Phone");
  // So is the factor's: a copy of the database alone does not give anyone the codes.
  const stored = await db.mfaFactor.findMany({ where: { userId: actor.id, kind: "totp" }, select: { secret: true } });
  for (const f of stored) {
    expect(f.secret).toMatch(/^v1:/);
    expect(f.secret).not.toContain(secret);
  }
  return { secret, recoveryCodes: recoveryCodes! };
}

const nextCode = (secret: string, steps = 1) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * steps });

async function requireFor(value: MfaRequirement) {
  await updateSettings(ctx, { ...(await getSettings()), mfaRequiredFor: value });
}

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`second factors on ${provider}`, () => {
    let database: TestDatabase;
    let admin: Actor;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      const a = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
      admin = { kind: "user", id: a.id, email: a.email, role: "ADMIN", teamId: null };
    });
    afterAll(async () => database?.drop());

    it("adding a factor needs a recent sign-in; a session waiting to enrol ends after ten minutes", async () => {
      await requireFor("nobody");
      const person = await newPerson("MANAGER");
      const { actor, sessionId } = await signIn(person.email);
      const stale = { ...actor, session: { ...actor.session, authenticatedAt: new Date(Date.now() - 16 * 60_000) } };
      await expect(startTotpEnrolment({ actor: stale, ip: meta.ip })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await db.mfaFactor.count({ where: { userId: person.id } })).toBe(0);
      expect(await liveSession(sessionId, meta.ip)).not.toBeNull();

      await requireFor("everyone");
      const waiting = await signIn(person.email);
      expect(waiting.stage).toBe("enrol");
      expect(await liveSession(waiting.sessionId, meta.ip, new Date(Date.now() + 11 * 60_000))).toBeNull();
      const row = await db.userSession.findUniqueOrThrow({ where: { id: waiting.sessionId } });
      expect(sessionEndReason(row, new Date(Date.now() + 11 * 60_000))).toBe("enrolment not finished in time");
      await requireFor("nobody");
    });

    it("sends whoever must have a second factor to enrol, and opens nothing until done", async () => {
      await requireFor("admins");
      const owner = await newPerson("SYSTEM_OWNER");
      const boss = await newPerson("ADMIN");
      expect((await signIn(owner.email)).stage).toBe("active");
      const pending = await signIn(boss.email);
      expect(pending.stage).toBe("enrol");
      expect((await liveSession(pending.sessionId, meta.ip))?.stage).toBe("enrol");

      await requireFor("everyone");
      expect((await signIn(owner.email)).stage).toBe("enrol");

      const { recoveryCodes } = await enrolTotp(pending.actor);
      expect(recoveryCodes).toHaveLength(10);
      const row = await db.userSession.findUniqueOrThrow({ where: { id: pending.sessionId } });
      expect(row).toMatchObject({ stage: "active", challenge: null });
      expect(row.amr.split(" ")).toEqual(expect.arrayContaining(["pwd", "otp", "mfa"]));
      // Recovery codes are kept only as hashes.
      const stored = await db.recoveryCode.findMany({ where: { userId: boss.id } });
      expect(stored).toHaveLength(10);
      for (const code of recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code);
      // The next sign-in waits for the second factor.
      expect((await signIn(boss.email)).stage).toBe("second-factor");
      await requireFor("nobody");
    });

    it("accepts each TOTP code once; wrong factors lock the account like wrong passwords, and a right password does not reset the count", async () => {
      const person = await newPerson("MANAGER");
      const first = await signIn(person.email);
      const { secret } = await enrolTotp(first.actor);

      const a = await signIn(person.email);
      expect(a.stage).toBe("second-factor");
      const code = await nextCode(secret);
      await giveSecondFactor(a.actor, { kind: "totp", code }, meta);
      expect((await liveSession(a.sessionId, meta.ip))?.stage).toBe("active");

      // The same code in another sign-in: refused as a replay (RFC 6238 §5.2), counted as a failure.
      const b = await signIn(person.email);
      await expect(giveSecondFactor(b.actor, { kind: "totp", code }, meta)).rejects.toThrow(/not right/);
      expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).failedSignIns).toBe(1);

      // Guessing on, with fresh password sign-ins between the guesses, reaches the lock-out all the same.
      for (let i = 1; i < LOCKOUT_THRESHOLD - 1; i++) {
        const c = await signIn(person.email);
        await expect(giveSecondFactor(c.actor, { kind: "totp", code: "000000" }, meta)).rejects.toThrow(/not right/);
      }
      const last = await signIn(person.email);
      await expect(giveSecondFactor(last.actor, { kind: "totp", code: "000000" }, meta)).rejects.toThrow(/locked/);
      expect(await liveSession(last.sessionId, meta.ip)).toBeNull();
      const user = await db.user.findUniqueOrThrow({ where: { id: person.id } });
      expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
      expect(await attemptPasswordSignIn(person.email, PASSWORD, meta)).toBeNull();
      const failures = await db.signInEvent.findMany({
        where: { userId: person.id, success: false },
        select: { reason: true, count: true },
      });
      expect(failures.map((f) => f.reason)).toContain("wrong second factor (authenticator app)");
      expect(await db.auditEntry.count({ where: { action: "auth.lockout", targetId: person.id } })).toBe(1);
    });

    it("signs in with a recovery code once, and replaced codes stop working", async () => {
      const person = await newPerson("AUDITOR");
      const first = await signIn(person.email);
      const { recoveryCodes } = await enrolTotp(first.actor);

      const a = await signIn(person.email);
      await giveSecondFactor(a.actor, { kind: "recovery", code: ` ${recoveryCodes[3]!.toLowerCase()} ` }, meta);
      expect((await liveSession(a.sessionId, meta.ip))?.stage).toBe("active");
      const entry = await db.auditEntry.findFirst({
        where: { action: "auth.second-factor" },
        orderBy: { seq: "desc" },
      });
      expect(entry!.summary).toContain("9 recovery code(s) left");

      const b = await signIn(person.email);
      await expect(giveSecondFactor(b.actor, { kind: "recovery", code: recoveryCodes[3]! }, meta)).rejects.toThrow(
        /not right/,
      );
      const fresh = await regenerateRecoveryCodes({ actor: a.actor, ip: meta.ip });
      await expect(giveSecondFactor(b.actor, { kind: "recovery", code: recoveryCodes[4]! }, meta)).rejects.toThrow(
        /not right/,
      );
      await giveSecondFactor(b.actor, { kind: "recovery", code: fresh[0]! }, meta);
      expect((await liveSession(b.sessionId, meta.ip))?.stage).toBe("active");
    });

    it("keeps the last factor while one is required; an admin's reset removes all and ends every session", async () => {
      await requireFor("everyone");
      const person = await newPerson("SYSTEM_OWNER");
      const first = await signIn(person.email);
      expect(first.stage).toBe("enrol");
      await enrolTotp(first.actor);
      const factor = await db.mfaFactor.findFirstOrThrow({ where: { userId: person.id } });
      await expect(removeFactor({ actor: first.actor, ip: meta.ip }, factor.id)).rejects.toThrow(/add another one/);
      // Someone else's factor is not theirs to remove.
      const other = await newPerson("AUDITOR");
      const otherSession = await signIn(other.email);
      await expect(removeFactor({ actor: otherSession.actor, ip: meta.ip }, factor.id)).rejects.toThrow(/No such/);
      await expect(resetFactorsOf({ actor: otherSession.actor, ip: meta.ip }, person.id)).rejects.toThrow();

      await resetFactorsOf({ actor: admin, ip: meta.ip }, person.id);
      expect(await db.mfaFactor.count({ where: { userId: person.id } })).toBe(0);
      expect(await db.recoveryCode.count({ where: { userId: person.id } })).toBe(0);
      expect(await liveSession(first.sessionId, meta.ip)).toBeNull();
      const reset = await db.auditEntry.findFirst({ where: { action: "mfa.reset", targetId: person.id } });
      expect(reset!.summary).toContain("(1 removed)");
      expect((await signIn(person.email)).stage).toBe("enrol");

      await requireFor("nobody");
      const again = await signIn(person.email);
      expect(again.stage).toBe("active");
      await enrolTotp(again.actor);
      const only = await db.mfaFactor.findFirstOrThrow({ where: { userId: person.id } });
      await removeFactor({ actor: again.actor, ip: meta.ip }, only.id);
      expect(await db.mfaFactor.count({ where: { userId: person.id } })).toBe(0);
      expect((await signIn(person.email)).stage).toBe("active");
    });

    it("single sign-on records the provider's amr and acr, and holds the people the requirement covers to a claimed second factor", async () => {
      const env = { ...process.env };
      Object.assign(process.env, {
        OIDC_ISSUER: "https://idp.agency.example",
        OIDC_CLIENT_ID: "apiledger",
        OIDC_CLIENT_SECRET: "test-only",
        OIDC_ROLE_MAP: "ledger-admins=ADMIN,ledger-owners=SYSTEM_OWNER",
      });
      try {
        const claims = (who: string, groups: string[], extra: Record<string, unknown> = {}) => ({
          sub: who,
          email: `${who}@sso.example`,
          name: who,
          groups,
          ...extra,
        });
        const withMfa = await signInWithOidc(
          claims("ida", ["ledger-admins"], { amr: ["pwd", "otp"], acr: "urn:agency:loa:2" }),
        );
        expect(withMfa.ok).toBe(true);
        const session = await db.userSession.findUniqueOrThrow({ where: { id: withMfa.ok ? withMfa.sessionId : "" } });
        expect(session).toMatchObject({ amr: "pwd otp mfa", acr: "urn:agency:loa:2", stage: "active" });

        // By default the requirement (administrators) holds for single sign-on too.
        await requireFor("admins");
        expect((await getSettings()).oidcMfaClaim).toBe("required");
        const passwordOnly = await signInWithOidc(claims("ida", ["ledger-admins"], { amr: ["pwd"] }));
        expect(passwordOnly).toEqual({ ok: false, error: "MfaRequired" });
        expect(
          await db.auditEntry.count({
            where: { action: "auth.sign-in-failed", summary: { contains: "no second factor claimed" } },
          }),
        ).toBe(1);
        // Only administrators are held to it; an owner signs in on the provider's password.
        expect((await signInWithOidc(claims("olly", ["ledger-owners"], { amr: ["pwd"] }))).ok).toBe(true);
        expect((await signInWithOidc(claims("ida", ["ledger-admins"], { amr: ["mfa"] }))).ok).toBe(true);
        // Everyone: the owner too; a provider trusted without the claim lets both in.
        await requireFor("everyone");
        expect(await signInWithOidc(claims("olly", ["ledger-owners"]))).toEqual({ ok: false, error: "MfaRequired" });
        await updateSettings(ctx, { ...(await getSettings()), oidcMfaClaim: "trusted" });
        expect((await signInWithOidc(claims("olly", ["ledger-owners"]))).ok).toBe(true);
        expect((await signInWithOidc(claims("ida", ["ledger-admins"], { amr: ["pwd"] }))).ok).toBe(true);
      } finally {
        await updateSettings(ctx, { ...(await getSettings()), mfaRequiredFor: "admins", oidcMfaClaim: "required" });
        process.env = env;
      }
    });
  });
}
