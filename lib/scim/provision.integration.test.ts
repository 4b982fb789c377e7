import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor, Role } from "@/lib/authz/policy";
import { signInWithOidc } from "@/lib/auth/oidc-sign-in";
import { deprovisionUser, provisionGroup, provisionUser } from "@/lib/scim/provision";
import { updateUser } from "@/lib/users/update-user";

// What an identity provider may change through SCIM, against both databases, through the services the
// SCIM endpoint calls. The provider's token is an admin's; whatever it sends, it must not lock ApiLedger's
// administrators out, nor take over an account that signs in with a password of its own.

const ROLE_MAP = "ledger-admins=ADMIN,ledger-admins-2=ADMIN,ledger-managers=MANAGER";
const person = (email: string, extra: Partial<{ active: boolean; name: string; userName: string }> = {}) => ({
  userName: extra.userName ?? email,
  email,
  name: extra.name ?? email,
  active: extra.active ?? true,
  externalId: null,
});
const roleOf = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).role;
const activeOf = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).isActive;
const idOf = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).id;

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`SCIM's reach on ${provider}`, () => {
    let database: TestDatabase;
    let ctx: { actor: Actor; ip: string };
    const env = { ...process.env };
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      Object.assign(process.env, {
        OIDC_ISSUER: "https://idp.agency.example",
        OIDC_CLIENT_ID: "apiledger",
        OIDC_CLIENT_SECRET: "test-only",
        OIDC_ROLE_MAP: ROLE_MAP,
      });
      const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
      ctx = {
        actor: { kind: "user", id: admin.id, email: admin.email, role: admin.role as Role, teamId: null },
        ip: "203.0.113.40",
      };
    });
    afterAll(async () => {
      process.env = env;
      await database?.drop();
    });

    it("never changes the token's own account nor a password account ApiLedger manages", async () => {
      const self = await idOf("admin@example.com");
      const local = await idOf("dana.admin@example.com");
      for (const id of [self, local]) {
        const email = (await db.user.findUniqueOrThrow({ where: { id } })).email;
        await expect(provisionUser(ctx, id, person(email, { active: false }))).rejects.toMatchObject({
          code: "FORBIDDEN",
        });
        await expect(provisionUser(ctx, id, person("attacker@idp.example"))).rejects.toMatchObject({
          code: "FORBIDDEN",
        });
        await expect(deprovisionUser(ctx, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
        // The name and the provider's own keys are the provider's to keep in step.
        await provisionUser(ctx, id, { ...person(email, { name: "From the IdP" }), externalId: `idp-${id}` });
        expect(await db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({
          email,
          name: "From the IdP",
          isActive: true,
          role: "ADMIN",
          provisionedAt: null,
        });
      }
      // A group that maps to no role, holding every administrator: they stay members, and stay admins.
      const admins = await db.user.findMany({ where: { role: "ADMIN" }, select: { id: true, email: true } });
      await provisionGroup(ctx, null, {
        displayName: "all-staff",
        externalId: null,
        memberIds: admins.map((a) => a.id),
      });
      for (const a of admins) expect(await roleOf(a.email)).toBe("ADMIN");
      expect(await db.scimGroupMember.count({ where: { userId: { in: admins.map((a) => a.id) } } })).toBe(
        admins.length,
      );
      expect(await db.auditEntry.count({ where: { action: { in: ["user.role-change", "user.deactivate"] } } })).toBe(0);
    });

    it("takes over an account that signs in through the provider alone, and manages what it creates", async () => {
      const sso = await signInWithOidc({ email: "ivy@sso.example", name: "Ivy", groups: ["ledger-managers"] });
      expect(sso.ok).toBe(true);
      const ivy = await idOf("ivy@sso.example");
      expect(await db.user.findUniqueOrThrow({ where: { id: ivy } })).toMatchObject({ provisionedAt: null });
      await provisionGroup(ctx, null, { displayName: "contractors", externalId: null, memberIds: [ivy] });
      // Its first write took the account over (audited); the group maps to no role, so the least one.
      expect((await db.user.findUniqueOrThrow({ where: { id: ivy } })).provisionedAt).not.toBeNull();
      expect(await roleOf("ivy@sso.example")).toBe("SYSTEM_OWNER");
      expect(
        await db.auditEntry.count({
          where: { action: "user.provision", summary: { contains: "ivy@sso.example is managed by" } },
        }),
      ).toBe(1);
      // Its e-mail can follow the provider's; deactivation and removal work.
      await provisionUser(ctx, ivy, person("ivy.new@sso.example", { active: false }));
      expect(await activeOf("ivy.new@sso.example")).toBe(false);
      await deprovisionUser(ctx, ivy);
      expect((await db.user.findUniqueOrThrow({ where: { id: ivy } })).deprovisionedAt).not.toBeNull();

      // Created by the provider and made an admin through a group, then removed from it.
      const created = await provisionUser(ctx, null, person("pat@idp.example"));
      const group = await provisionGroup(ctx, null, {
        displayName: "ledger-admins",
        externalId: null,
        memberIds: [created],
      });
      expect(await roleOf("pat@idp.example")).toBe("ADMIN");
      await provisionGroup(ctx, group, { displayName: "ledger-admins", externalId: null, memberIds: [] });
      expect(await roleOf("pat@idp.example")).toBe("SYSTEM_OWNER");
    });

    it("single sign-on cannot take over a password account ApiLedger manages, nor an unverified e-mail", async () => {
      expect(
        await signInWithOidc({ email: "dana.admin@example.com", name: "Dana", groups: ["ledger-managers"] }),
      ).toEqual({ ok: false, error: "PasswordAccount" });
      expect(await roleOf("dana.admin@example.com")).toBe("ADMIN");
      expect(
        (await signInWithOidc({ email: "new@sso.example", email_verified: false, groups: ["ledger-managers"] })).ok,
      ).toBe(false);
      expect(await db.user.count({ where: { email: "new@sso.example" } })).toBe(0);
    });

    it("a person provisioned again after removal comes back with nothing they could do before", async () => {
      const id = await provisionUser(ctx, null, person("rea@idp.example"));
      const group = await provisionGroup(ctx, null, {
        displayName: "ledger-admins-2",
        externalId: null,
        memberIds: [id],
      });
      expect(await roleOf("rea@idp.example")).toBe("ADMIN");
      await deprovisionUser(ctx, id);
      expect(await provisionUser(ctx, null, person("rea@idp.example"))).toBe(id);
      expect(await db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({
        role: "SYSTEM_OWNER",
        teamId: null,
        passwordHash: null,
        isActive: true,
      });
      expect(await db.scimGroupMember.count({ where: { groupId: group } })).toBe(0);
    });

    it("a replacement that leaves out `active` keeps an admin's deactivation", async () => {
      const id = await provisionUser(ctx, null, person("quinn@idp.example"));
      const quinn = await db.user.findUniqueOrThrow({ where: { id } });
      await updateUser(ctx, id, { name: quinn.name, role: quinn.role, teamId: "", isActive: false });
      await provisionUser(ctx, id, { ...person("quinn@idp.example", { name: "Quinn R." }), active: null });
      expect(await db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Quinn R.", isActive: false });
    });

    it("keeps userName unique across people, as RFC 7643 says", async () => {
      await provisionUser(ctx, null, person("uma@idp.example", { userName: "uma@corp.example" }));
      await expect(
        provisionUser(ctx, null, person("uma.two@idp.example", { userName: "uma@corp.example" })),
      ).rejects.toMatchObject({ code: "CONFLICT" });
      // Another person's e-mail is taken as a userName too.
      await expect(
        provisionUser(ctx, null, person("vic@idp.example", { userName: "owner@example.com" })),
      ).rejects.toMatchObject({ code: "CONFLICT" });
      const vic = await provisionUser(ctx, null, person("vic@idp.example"));
      await expect(
        provisionUser(ctx, vic, person("vic@idp.example", { userName: "uma@corp.example" })),
      ).rejects.toMatchObject({ code: "CONFLICT" });
    });
  });
}
