import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { attemptPasswordSignIn } from "@/lib/auth/sign-in";
import { claimGuess, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD } from "@/lib/auth/guesses";
import { reauthenticate } from "@/lib/auth/reauthenticate";
import { authenticate } from "@/lib/rest/authenticate";
import { liveSession, sessionRef } from "@/lib/sessions/session-state";
import { endSession, endSessionsOfPerson, signOutSession } from "@/lib/sessions/end-session";
import { listSessionsOf } from "@/lib/sessions/queries";
import { SESSION_LIMITS } from "@/lib/sessions/limits";
import { createToken, REAUTHENTICATE_FIRST } from "@/lib/tokens/create-token";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { listTokensOf } from "@/lib/tokens/queries";
import { createServiceAccount } from "@/lib/tokens/create-service-account";
import { changeOwnPassword } from "@/lib/users/change-password";
import { resetPassword } from "@/lib/users/reset-password";
import { updateUser } from "@/lib/users/update-user";
import { fromAddress } from "@/lib/testing/source-headers";
import { personActor } from "@/lib/testing/actors";

const PASSWORD = "ApiLedger-demo-1";
const meta = (ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0") => ({
  ip: "198.51.100.7",
  userAgent: ua,
});
/** Signs in with the password and returns the session id the cookie would carry. */
const signIn = async (email: string, password = PASSWORD, ua?: string) => {
  const user = await attemptPasswordSignIn(email, password, meta(ua));
  if (!user) throw new Error(`sign-in refused for ${email}`);
  return user.sessionId;
};
const live = (id: string, at?: Date) => liveSession(id, "198.51.100.7", at);
const bearer = (secret: string) =>
  new Request("http://localhost/api/v1/apis", {
    headers: { authorization: `Bearer ${secret}`, ...fromAddress("10.1.2.3") },
  });
const TOKEN = { name: "ci", scopes: ["inventory:read"], teamId: "", expiresInDays: 30 };

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`sessions on ${provider}`, () => {
    let database: TestDatabase;
    let admin: Actor;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      admin = await personActor("admin@example.com");
    });
    afterAll(async () => database?.drop());

    it("a sign-in opens a session the cookie names; signing out ends it for every copy of the cookie", async () => {
      const sid = await signIn("owner@example.com");
      const session = await live(sid);
      expect(session?.user.email).toBe("owner@example.com");
      const signInEntry = await db.auditEntry.findFirst({
        where: { action: "auth.sign-in" },
        orderBy: { seq: "desc" },
      });
      expect(JSON.parse(signInEntry!.diff)).toMatchObject({ session: sessionRef(sid) });
      expect(signInEntry!.diff).not.toContain(sid);

      await signOutSession(sid, "198.51.100.7");
      expect(await live(sid)).toBeNull();
      const row = await db.userSession.findUniqueOrThrow({ where: { id: sid } });
      expect(row.endedReason).toBe("signed out");
      expect(
        await db.auditEntry.count({ where: { action: "auth.sign-out", diff: { contains: sessionRef(sid) } } }),
      ).toBe(1);
    });

    it("ends at its idle and absolute limits however it is used, and records where it was last seen", async () => {
      const sid = await signIn("owner@example.com");
      const start = (await db.userSession.findUniqueOrThrow({ where: { id: sid } })).createdAt.getTime();
      // Used every 20 minutes, it stays open up to the absolute limit, then ends.
      let at = start;
      for (; at + 20 * 60_000 < start + SESSION_LIMITS.absoluteMs;) {
        at += 20 * 60_000;
        expect(await liveSession(sid, `10.0.0.${(at / 60_000) % 200}`, new Date(at))).not.toBeNull();
      }
      expect(await live(sid, new Date(start + SESSION_LIMITS.absoluteMs))).toBeNull();
      const seen = await db.userSession.findUniqueOrThrow({ where: { id: sid } });
      expect(seen.lastSeenAt.getTime()).toBe(at);

      const idle = await signIn("owner@example.com");
      const opened = (await db.userSession.findUniqueOrThrow({ where: { id: idle } })).lastSeenAt.getTime();
      expect(await live(idle, new Date(opened + SESSION_LIMITS.idleMs - 1000))).not.toBeNull();
      expect(await live(idle, new Date(opened + 2 * SESSION_LIMITS.idleMs + 1000))).toBeNull();
    });

    it("a password change ends every session of the account, the one it came from too", async () => {
      const a = await signIn("manager@example.com");
      const b = await signIn("manager@example.com");
      const actor = await personActor("manager@example.com", { id: a, authenticatedAt: new Date() });
      await changeOwnPassword(
        { actor },
        { current: PASSWORD, next: "Manager-new-pass-2", confirm: "Manager-new-pass-2" },
      );
      expect(await live(a)).toBeNull();
      expect(await live(b)).toBeNull();
      const ended = await db.auditEntry.findFirst({ where: { action: "session.end" }, orderBy: { seq: "desc" } });
      expect(JSON.parse(ended!.diff)).toMatchObject({ sessions: 2, reason: "password changed" });
      expect(await live(await signIn("manager@example.com", "Manager-new-pass-2"))).not.toBeNull();
    });

    it("an admin's reset, a role change and deactivation each end the person's sessions; a reset revokes tokens", async () => {
      const owner = await personActor("owner@example.com");
      const u = await db.user.findUniqueOrThrow({ where: { id: owner.id! } });
      const update = (data: Partial<{ role: string; isActive: boolean }>) =>
        updateUser({ actor: admin }, u.id, {
          name: u.name,
          role: u.role,
          teamId: u.teamId ?? "",
          isActive: true,
          ...data,
        });

      let sid = await signIn("owner@example.com");
      await update({ role: "MANAGER" });
      expect(await live(sid)).toBeNull();
      await update({ role: "SYSTEM_OWNER" });

      sid = await signIn("owner@example.com");
      const unrelated = await signIn("auditor@example.com");
      const token = await createToken(
        { actor: await personActor("owner@example.com", { id: sid, authenticatedAt: new Date() }) },
        null,
        TOKEN,
      );
      await expect(authenticate(bearer(token.secret))).resolves.toMatchObject({ tokenId: token.id });
      const { oneTimePassword } = await resetPassword({ actor: admin }, u.id);
      expect(await live(sid)).toBeNull();
      expect(await live(unrelated)).not.toBeNull();
      // A reset means the password may be known to someone else: what was issued under it stops too.
      await expect(authenticate(bearer(token.secret))).rejects.toThrow(/token revoked/);

      // The one-time password signs in, but the session says it must be changed first.
      sid = await signIn("owner@example.com", oneTimePassword);
      expect((await live(sid))?.user.mustChangePassword).toBe(true);
      await update({ isActive: false });
      expect(await live(sid)).toBeNull();
      await update({ isActive: true });
      // Reactivation does not revive the session either.
      expect(await live(sid)).toBeNull();
    });

    it("deactivation revokes the person's tokens for good: reactivating them does not bring them back", async () => {
      const sid = await signIn("auditor@example.com");
      const auditor = await personActor("auditor@example.com", { id: sid, authenticatedAt: new Date() });
      const token = await createToken({ actor: auditor }, null, { ...TOKEN, scopes: ["reviews:read"] });
      await expect(authenticate(bearer(token.secret))).resolves.toMatchObject({ tokenId: token.id });
      const u = await db.user.findUniqueOrThrow({ where: { id: auditor.id! } });
      const set = (isActive: boolean) =>
        updateUser({ actor: admin }, u.id, { name: u.name, role: u.role, teamId: u.teamId ?? "", isActive });
      await set(false);
      await set(true);
      await expect(authenticate(bearer(token.secret))).rejects.toThrow(/token revoked/);
      const revoked = await db.auditEntry.findFirst({ where: { action: "token.revoke" }, orderBy: { seq: "desc" } });
      expect(JSON.parse(revoked!.diff)).toMatchObject({ reason: "account deactivated", tokenIds: [token.id] });
    });

    it("creating a token needs a recent sign-in; a wrong password there counts toward the lock-out", async () => {
      const sid = await signIn("admin@example.com");
      // The session as it stands 16 minutes after its sign-in.
      const stale = new Date(Date.now() - SESSION_LIMITS.recentAuthMs - 1000);
      const actor = await personActor("admin@example.com", { id: sid, authenticatedAt: stale });
      await expect(createToken({ actor }, null, TOKEN)).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: REAUTHENTICATE_FIRST,
      });

      const before = (await db.user.findUniqueOrThrow({ where: { id: actor.id! } })).failedSignIns;
      await expect(reauthenticate({ actor, ip: "198.51.100.7" }, "wrong", "vitest")).rejects.toMatchObject({
        code: "VALIDATION",
      });
      expect((await db.user.findUniqueOrThrow({ where: { id: actor.id! } })).failedSignIns).toBe(before + 1);

      await reauthenticate({ actor, ip: "198.51.100.7" }, PASSWORD, "vitest");
      const renewed = (await live(sid))!.authenticatedAt;
      expect(Date.now() - renewed.getTime()).toBeLessThan(60_000);
      const fresh = await personActor("admin@example.com", { id: sid, authenticatedAt: renewed });
      await expect(createToken({ actor: fresh }, null, TOKEN)).resolves.toMatchObject({
        expiresAt: expect.any(String),
      });
      expect(LOCKOUT_THRESHOLD).toBeGreaterThan(1);
    });

    it("guesses sent in parallel get no more checks than the lock-out allows, at sign-in and at re-authentication", async () => {
      const guesses = 24;
      const failures = async (email: string) => {
        const rows = await db.signInEvent.findMany({ where: { email, success: false } });
        const sum = (pred: (r: string) => boolean) =>
          rows.filter((r) => pred(r.reason)).reduce((n, r) => n + r.count, 0);
        return { checked: sum((r) => r.startsWith("wrong password")), refused: sum((r) => r === "account locked") };
      };
      // Sign-in: 24 wrong passwords at once, then the right one.
      const results = await Promise.all(
        Array.from({ length: guesses }, (_, i) =>
          attemptPasswordSignIn("kim.manager@example.com", `guess-${i}`, meta()),
        ),
      );
      expect(results.every((r) => r === null)).toBe(true);
      expect(await failures("kim.manager@example.com")).toEqual({
        checked: LOCKOUT_THRESHOLD,
        refused: guesses - LOCKOUT_THRESHOLD,
      });
      expect(await attemptPasswordSignIn("kim.manager@example.com", PASSWORD, meta())).toBeNull();
      const kim = await db.user.findUniqueOrThrow({ where: { email: "kim.manager@example.com" } });
      expect(await db.auditEntry.count({ where: { action: "auth.lockout", targetId: kim.id } })).toBe(1);

      // Re-authentication: the same bound, from a signed-in session.
      const sid = await signIn("lee.owner@example.com");
      const actor = await personActor("lee.owner@example.com", { id: sid, authenticatedAt: new Date(0) });
      const outcomes = await Promise.allSettled(
        Array.from({ length: guesses }, (_, i) =>
          reauthenticate({ actor, ip: `198.51.100.${i + 20}` }, `guess-${i}`, "vitest"),
        ),
      );
      expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
      expect(await failures("lee.owner@example.com")).toEqual({
        checked: LOCKOUT_THRESHOLD,
        refused: guesses - LOCKOUT_THRESHOLD,
      });
      await expect(reauthenticate({ actor, ip: "198.51.100.7" }, PASSWORD, "vitest")).rejects.toMatchObject({
        code: "VALIDATION",
      });
      expect((await db.user.findUniqueOrThrow({ where: { id: actor.id! } })).lockedUntil?.getTime()).toBeGreaterThan(
        Date.now(),
      );
    });

    it("a guess whose outcome is never recorded cannot lock an account for ever; a password change counts guesses", async () => {
      const user = await db.user.findUniqueOrThrow({ where: { email: "jo.owner@example.com" } });
      const now = new Date();
      // Guesses claimed and then lost (a crash between the claim and its record): the last locks at once.
      for (let i = 1; i <= LOCKOUT_THRESHOLD; i++) expect(await claimGuess(user, "198.51.100.7", now)).toBe(i);
      expect(await claimGuess(user, "198.51.100.7", now)).toBeNull();
      const locked = await db.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(locked.lockedUntil!.getTime()).toBe(now.getTime() + LOCKOUT_MINUTES * 60_000);
      // When the lock ends, a new count starts.
      expect(await claimGuess(user, "198.51.100.7", new Date(locked.lockedUntil!.getTime() + 1000))).toBe(1);

      // The current password at a password change is a guess like the others.
      const sid = await signIn("sam.owner@example.com");
      const sam = await personActor("sam.owner@example.com", { id: sid, authenticatedAt: new Date() });
      const change = (current: string) =>
        changeOwnPassword(
          { actor: sam, ip: "198.51.100.8" },
          { current, next: "Sam-new-pass-2", confirm: "Sam-new-pass-2" },
        );
      for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
        await expect(change(`guess-${i}`)).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(change(PASSWORD)).rejects.toMatchObject({ message: expect.stringMatching(/locked/) });
      expect(await db.auditEntry.count({ where: { action: "auth.lockout", targetId: sam.id! } })).toBe(1);
    });

    it("a person ends their other sessions, an admin anyone's; nobody else may see or end them", async () => {
      const mine = await signIn(
        "auditor@example.com",
        PASSWORD,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0 Safari/537.36",
      );
      const other = await signIn("auditor@example.com");
      const third = await signIn("auditor@example.com");
      const me = await personActor("auditor@example.com", { id: mine, authenticatedAt: new Date() });
      const list = await listSessionsOf(me, me.id!);
      expect(list.find((s) => s.id === mine)).toMatchObject({
        isCurrent: true,
        isOpen: true,
        device: "Chrome on Windows",
      });
      expect(list.find((s) => s.id === other)).toMatchObject({ isCurrent: false, device: "Firefox on Linux" });

      await expect(endSession({ actor: me }, mine)).rejects.toMatchObject({ code: "VALIDATION" });
      await endSession({ actor: me }, other);
      expect(await live(other)).toBeNull();
      expect(await endSessionsOfPerson({ actor: me }, me.id!)).toBe(1);
      expect(await live(third)).toBeNull();
      expect(await live(mine)).not.toBeNull();

      const manager = await personActor("manager@example.com");
      await expect(listSessionsOf(manager, me.id!)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(endSession({ actor: manager }, mine)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(endSessionsOfPerson({ actor: manager }, me.id!)).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await live(mine)).not.toBeNull();

      expect(await endSessionsOfPerson({ actor: admin }, me.id!)).toBeGreaterThanOrEqual(1);
      expect(await live(mine)).toBeNull();
    });

    it("admins list and revoke anyone's tokens; others cannot; a service account cannot be made an admin", async () => {
      const sid = await signIn("manager@example.com", "Manager-new-pass-2");
      const manager = await personActor("manager@example.com", { id: sid, authenticatedAt: new Date() });
      const token = await createToken({ actor: manager }, null, TOKEN);
      expect((await listTokensOf(admin, manager.id!)).map((t) => t.id)).toContain(token.id);
      const owner = await personActor("owner@example.com");
      await expect(listTokensOf(owner, manager.id!)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(revokeToken({ actor: owner }, token.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await revokeToken({ actor: admin }, token.id);
      await expect(authenticate(bearer(token.secret))).rejects.toThrow(/token revoked/);
      const entry = await db.auditEntry.findFirst({ where: { action: "token.revoke" }, orderBy: { seq: "desc" } });
      expect(entry!.summary).toContain("of manager@example.com");

      const sa = await createServiceAccount({ actor: admin }, { name: "Gateway", role: "AUDITOR", teamId: "" });
      await expect(
        updateUser({ actor: admin }, sa.id, { name: "Gateway", role: "ADMIN", teamId: "", isActive: true }),
      ).rejects.toMatchObject({ fieldErrors: { role: ["A service account cannot be an admin."] } });
      expect((await db.user.findUniqueOrThrow({ where: { id: sa.id } })).role).toBe("AUDITOR");
    });
  });
}
