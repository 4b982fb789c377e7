import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { updateUser } from "@/lib/users/update-user";
import { resetPassword } from "@/lib/users/reset-password";
import { changeOwnPassword } from "@/lib/users/change-password";
import { createTeam } from "@/lib/teams/create-team";
import { attemptPasswordSignIn } from "@/lib/auth/sign-in";
import { LOCKOUT_THRESHOLD } from "@/lib/auth/guesses";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };
const meta = { ip: "203.0.113.9", userAgent: "vitest" };

describe("accounts", () => {
  let database: TestDatabase;
  let admin: Actor;
  let owner: Actor;
  let ownerPassword: string;
  beforeAll(async () => {
    database = await useTestDatabase("sqlite");
    const a = await createUser(
      { actor: SYSTEM },
      { email: "admin@t.example", name: "Admin", role: "ADMIN", teamId: "" },
    );
    admin = { kind: "user", id: a.id, email: "admin@t.example", role: "ADMIN", teamId: null };
    const o = await createUser(
      { actor: SYSTEM },
      { email: "owner@t.example", name: "Owner", role: "SYSTEM_OWNER", teamId: "" },
    );
    owner = { kind: "user", id: o.id, email: "owner@t.example", role: "SYSTEM_OWNER", teamId: null };
    ownerPassword = o.oneTimePassword;
  });
  afterAll(async () => database?.drop());

  it("refuses a forged or unknown role and writes nothing", async () => {
    const before = await db.user.count();
    await expect(
      createUser({ actor: admin }, { email: "x@t.example", name: "X", role: "SUPERUSER", teamId: "" }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { role: ["Choose a valid role."] },
    });
    await expect(
      createUser({ actor: admin }, { email: "x@t.example", name: "X", role: "ADMIN", teamId: "", isActive: true }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await db.user.count()).toBe(before);
  });

  it("lets only admins manage accounts, and not their own role", async () => {
    await expect(
      createUser({ actor: owner }, { email: "y@t.example", name: "Y", role: "ADMIN", teamId: "" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      updateUser({ actor: owner }, owner.id!, { name: "Owner", role: "ADMIN", teamId: "", isActive: true }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      updateUser({ actor: admin }, admin.id!, { name: "Admin", role: "AUDITOR", teamId: "", isActive: true }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(createTeam({ actor: owner }, { name: "Mine", description: "" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id! } })).role).toBe("ADMIN");
  });

  it("records every sign-in attempt, locks after repeated failures, and an admin reset lifts the lock", async () => {
    expect(await attemptPasswordSignIn("OWNER@t.example", ownerPassword, meta)).toMatchObject({
      email: "owner@t.example",
      role: "SYSTEM_OWNER",
    });
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
      expect(await attemptPasswordSignIn("owner@t.example", "wrong", meta)).toBeNull();
    expect(await attemptPasswordSignIn("owner@t.example", ownerPassword, meta)).toBeNull(); // locked
    const events = await db.signInEvent.findMany({ where: { email: "owner@t.example" }, orderBy: { at: "asc" } });
    // Repeated failures from one address within a minute share a row with a count; the lock-out has its own.
    const attempts = (reason: string) => events.filter((e) => e.reason === reason).reduce((n, e) => n + e.count, 0);
    expect([attempts(""), attempts("wrong password"), attempts("account locked")]).toEqual([1, LOCKOUT_THRESHOLD, 1]);
    expect(events.length).toBeLessThanOrEqual(6);
    expect(events.every((e) => e.ip === "203.0.113.9")).toBe(true);
    expect(await db.auditEntry.count({ where: { action: "auth.lockout" } })).toBe(1);
    expect(await attemptPasswordSignIn("nobody@t.example", "x", meta)).toBeNull();
    expect(await db.signInEvent.count({ where: { email: "nobody@t.example", reason: "unknown account" } })).toBe(1);

    const { oneTimePassword } = await resetPassword({ actor: admin }, owner.id!);
    expect(await attemptPasswordSignIn("owner@t.example", oneTimePassword, meta)).not.toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.id! } })).mustChangePassword).toBe(true);

    await expect(
      changeOwnPassword(
        { actor: owner },
        { current: "nope", next: "a-new-long-password", confirm: "a-new-long-password" },
      ),
    ).rejects.toMatchObject({
      fieldErrors: { current: ["Your current password is not right."] },
    });
    await changeOwnPassword(
      { actor: owner },
      { current: oneTimePassword, next: "a-new-long-password", confirm: "a-new-long-password" },
    );
    expect(await attemptPasswordSignIn("owner@t.example", "a-new-long-password", meta)).not.toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: owner.id! } })).mustChangePassword).toBe(false);
  });

  it("a deactivated account cannot sign in", async () => {
    await updateUser({ actor: admin }, owner.id!, { name: "Owner", role: "SYSTEM_OWNER", teamId: "", isActive: false });
    expect(await attemptPasswordSignIn("owner@t.example", "a-new-long-password", meta)).toBeNull();
    expect(await db.signInEvent.count({ where: { reason: "account deactivated" } })).toBe(1);
  });
});
