import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { authenticate } from "@/lib/rest/authenticate";
import { flushApiCalls, recordApiCall } from "@/lib/rest/call-log";
import { createToken } from "@/lib/tokens/create-token";
import { revokeToken } from "@/lib/tokens/revoke-token";
import { createServiceAccount } from "@/lib/tokens/create-service-account";
import { listOwnTokens } from "@/lib/tokens/queries";
import { resetPassword } from "@/lib/users/reset-password";
import { fromAddress } from "@/lib/testing/source-headers";
import { personActor } from "@/lib/testing/actors";

const bearer = (secret: string) =>
  new Request("http://localhost/api/v1/apis", {
    headers: { authorization: `Bearer ${secret}`, ...fromAddress("10.1.2.3") },
  });

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`API tokens on ${provider}`, () => {
    let database: TestDatabase;
    let owner: Actor, admin: Actor, manager: Actor;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      owner = await personActor("owner@example.com");
      admin = await personActor("admin@example.com");
      manager = await personActor("manager@example.com");
    });
    afterAll(async () => database?.drop());

    it("stores only a hash, enforces the admin's maximum lifetime, and refuses expired and revoked tokens", async () => {
      await expect(
        createToken({ actor: owner }, null, { name: "ci", scopes: ["inventory:read"], teamId: "", expiresInDays: 91 }),
      ).rejects.toMatchObject({ fieldErrors: { expiresInDays: ["At most 90 days (the administrator's limit)."] } });
      await expect(
        createToken({ actor: owner }, null, { name: "", scopes: ["root"], teamId: "", expiresInDays: 1 }),
      ).rejects.toMatchObject({ code: "VALIDATION" });
      // A scope the owner's role can never use: SCIM provisioning is for administrators only.
      await expect(
        createToken({ actor: owner }, null, { name: "idp", scopes: ["scim:provision"], teamId: "", expiresInDays: 1 }),
      ).rejects.toMatchObject({ fieldErrors: { scopes: ["scim:provision: not open to the SYSTEM_OWNER role."] } });
      const { id, secret } = await createToken({ actor: owner }, null, {
        name: "ci",
        scopes: ["inventory:read"],
        teamId: "",
        expiresInDays: 30,
      });
      const row = await db.apiToken.findUniqueOrThrow({ where: { id } });
      expect(JSON.stringify(row)).not.toContain(secret);
      const ok = await authenticate(bearer(secret));
      expect(ok.actor).toMatchObject({ id: owner.id!, token: { id, scopes: ["inventory:read"], teamId: null } });
      const failuresBefore = await db.signInEvent.count({ where: { success: false } });
      await expect(authenticate(bearer(secret), new Date(row.expiresAt.getTime() + 1000))).rejects.toMatchObject({
        code: "UNAUTHENTICATED",
        message: "The API token was refused (token expired).",
      });
      await expect(revokeToken({ actor: manager }, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await revokeToken({ actor: owner }, id);
      await expect(authenticate(bearer(secret))).rejects.toMatchObject({
        message: "The API token was refused (token revoked).",
      });
      const failures = await db.signInEvent.findMany({
        where: { success: false },
        orderBy: { at: "asc" },
        skip: failuresBefore,
      });
      expect(failures.map((f) => [f.email, f.reason, f.ip])).toEqual([
        [`API token ${secret.slice(0, 10)}…`, "token expired", "10.1.2.3"],
        [`API token ${secret.slice(0, 10)}…`, "token revoked", "10.1.2.3"],
      ]);
    });

    it("service accounts: admin-only, never a password, tokens made by an admin", async () => {
      await expect(
        createServiceAccount(
          { actor: manager },
          { name: "CI", role: "SYSTEM_OWNER", teamId: owner.kind === "user" ? owner.teamId! : "" },
        ),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        createServiceAccount({ actor: admin }, { name: "CI", role: "ADMIN", teamId: "" }),
      ).rejects.toMatchObject({ code: "VALIDATION" });
      const { id } = await createServiceAccount(
        { actor: admin },
        { name: "Payments CI", role: "SYSTEM_OWNER", teamId: owner.kind === "user" ? owner.teamId! : "" },
      );
      await expect(resetPassword({ actor: admin }, id)).rejects.toMatchObject({
        message: "A service account has no password; create an API token for it instead.",
      });
      // Admins make tokens for service accounts, but never for another person.
      await expect(
        createToken({ actor: admin }, owner.id, {
          name: "x",
          scopes: ["inventory:read"],
          teamId: "",
          expiresInDays: 5,
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        createToken({ actor: manager }, id, { name: "x", scopes: ["inventory:read"], teamId: "", expiresInDays: 5 }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      const { secret } = await createToken({ actor: admin }, id, {
        name: "pipeline",
        scopes: ["inventory:write", "inventory:read"],
        teamId: "",
        expiresInDays: 5,
      });
      expect((await authenticate(bearer(secret))).actor).toMatchObject({ id, role: "SYSTEM_OWNER" });
    });

    it("logs every call in batches with one audit entry, and shows the token's last use", async () => {
      const { id, secret } = await createToken({ actor: owner }, null, {
        name: "logged",
        scopes: ["inventory:read"],
        teamId: "",
        expiresInDays: 5,
      });
      await authenticate(bearer(secret));
      const at = new Date();
      for (let i = 0; i < 3; i++)
        recordApiCall({
          at,
          tokenId: id,
          userId: owner.id,
          method: "GET",
          route: `/api/v1/apis/${i}`,
          status: i === 2 ? 404 : 200,
          ip: "10.9.9.9",
          durationMs: 3,
        });
      await flushApiCalls();
      expect(await db.apiCallLog.count({ where: { tokenId: id } })).toBe(3);
      const entry = await db.auditEntry.findFirstOrThrow({ where: { action: "rest.calls" }, orderBy: { seq: "desc" } });
      expect(JSON.parse(entry.diff)).toMatchObject({ count: 3, failed: 1 });
      expect((await listOwnTokens(owner)).find((t) => t.id === id)).toMatchObject({
        lastUsedIp: "10.9.9.9",
        status: "active",
      });
    });
  });
}
