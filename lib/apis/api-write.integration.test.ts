// The write path against real databases: policy, validation, audit chain and soft delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { createApi } from "@/lib/apis/create-api";
import { updateApi } from "@/lib/apis/update-api";
import { deleteApi } from "@/lib/apis/delete-api";
import { createTeam } from "@/lib/teams/create-team";
import { createUser } from "@/lib/users/create-user";
import { apiInput } from "@/lib/testing/api-input";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`API writes on ${provider}`, () => {
    let database: TestDatabase;
    let teamA: string;
    let teamB: string;
    let owner: Actor;
    let auditor: Actor;

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      teamA = (await createTeam({ actor: SYSTEM }, { name: "Team A", description: "" })).id;
      teamB = (await createTeam({ actor: SYSTEM }, { name: "Team B", description: "" })).id;
      const o = await createUser(
        { actor: SYSTEM },
        { email: "o@test.example", name: "O", role: "SYSTEM_OWNER", teamId: teamA },
      );
      const a = await createUser(
        { actor: SYSTEM },
        { email: "a@test.example", name: "A", role: "AUDITOR", teamId: "" },
      );
      owner = { kind: "user", id: o.id, email: "o@test.example", role: "SYSTEM_OWNER", teamId: teamA };
      auditor = { kind: "user", id: a.id, email: "a@test.example", role: "AUDITOR", teamId: null };
    });
    afterAll(async () => database?.drop());

    const valid = () => apiInput(teamA, { name: "Ledger", purpose: "Posts entries" });

    it("creates an API with its control statuses and an audit entry in the same transaction", async () => {
      const { id } = await createApi({ actor: owner, ip: "10.0.0.1" }, valid());
      const row = await db.api.findUniqueOrThrow({ where: { id } });
      expect(row.ism2013).toBe("MET");
      expect(row.ism2015).toBe("NOT_MET");
      expect(row.ism1818).toBe("NOT_APPLICABLE");
      expect(row.createdById).toBe(owner.id);
      const entry = await db.auditEntry.findFirstOrThrow({ where: { targetId: id } });
      expect(entry.action).toBe("api.create");
      expect(entry.actorEmail).toBe("o@test.example");
      expect(entry.ip).toBe("10.0.0.1");
      expect(JSON.parse(entry.diff).changes.name.to).toBe("Ledger");
    });

    it("refuses a system owner registering into another team, and writes nothing", async () => {
      const before = await db.auditEntry.count();
      await expect(createApi({ actor: owner }, { ...valid(), teamId: teamB })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await db.api.count({ where: { teamId: teamB } })).toBe(0);
      expect(await db.auditEntry.count()).toBe(before);
    });

    it("refuses any write by an auditor", async () => {
      await expect(createApi({ actor: auditor }, { ...valid(), teamId: teamA })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    });

    it("rejects bad input with field errors and writes nothing", async () => {
      const apis = await db.api.count();
      const error = (await createApi(
        { actor: owner },
        { ...valid(), name: "", exposure: "MOON", purpose: "x".repeat(2001), extra: 1 },
      ).catch((e) => e)) as AppError;
      expect(error.code).toBe("VALIDATION");
      expect(await db.api.count()).toBe(apis);
      const strict = (await createApi({ actor: owner }, { ...valid(), exposure: "MOON" }).catch((e) => e)) as AppError;
      expect(strict.fieldErrors.exposure?.[0]).toMatch(/valid network exposure/);
      const long = (await createApi({ actor: owner }, { ...valid(), purpose: "x".repeat(2001) }).catch(
        (e) => e,
      )) as AppError;
      expect(long.fieldErrors.purpose?.[0]).toMatch(/at most 2000/);
    });

    it("updates with a diff, refuses a stale version, and soft-deletes keeping history", async () => {
      const { id } = await createApi({ actor: owner }, { ...valid(), name: "Versioned" });
      await updateApi({ actor: owner }, id, 1, {
        ...valid(),
        name: "Versioned",
        centrallyLogged: "yes",
        loggingDestination: "SIEM",
      });
      const updated = await db.api.findUniqueOrThrow({ where: { id } });
      expect(updated.ism2015).toBe("MET");
      expect(updated.version).toBe(2);
      const entry = await db.auditEntry.findFirstOrThrow({ where: { targetId: id, action: "api.update" } });
      expect(JSON.parse(entry.diff).changes).toMatchObject({
        centrallyLogged: { from: false, to: true },
        loggingDestination: { from: "", to: "SIEM" },
      });
      await expect(updateApi({ actor: owner }, id, 1, { ...valid(), name: "Stale" })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      await deleteApi({ actor: owner }, id);
      const deleted = await db.api.findUniqueOrThrow({ where: { id } });
      expect(deleted.deletedAt).not.toBeNull();
      expect(await db.auditEntry.count({ where: { targetId: id } })).toBe(3);
      await expect(updateApi({ actor: owner }, id, 3, valid())).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("keeps an intact hash chain across all writes and concurrent writers", async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => createApi({ actor: owner }, { ...valid(), name: `Concurrent ${i}` })),
      );
      const report = await verifyAuditChain();
      expect(report.ok).toBe(true);
      expect(report.count).toBe(await db.auditEntry.count());
    });
  });
}
