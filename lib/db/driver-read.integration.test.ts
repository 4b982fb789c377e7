// Reads through the driver (readRows) must give what the model client's raw query gives — times as Date,
// flags as boolean, text as stored, every kind of text intact — on both databases; must never write;
// and must see each commit at once (SQLite reads on a connection of its own).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db, placeholders, readRows } from "@/lib/db/client";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { createTeam } from "@/lib/teams/create-team";
import { MAX_CACHED_STATEMENTS } from "@/lib/db/driver-read";
import { HOSTILE_VALUES } from "@/lib/hostile/values";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };

const providers = ["sqlite", ...((await isPostgresAvailable()) ? ["postgres" as const] : [])] as const;

describe.each(providers)("readRows on %s", (provider) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await useTestDatabase(provider);
  });
  afterAll(async () => database?.drop());

  const teamSql = () =>
    `SELECT "id", "name", "description", "createdAt", "updatedAt" FROM "Team" WHERE "id" = ${placeholders(1)[0]}`;

  it("gives the rows the model client's raw query gives: times as Date, text exactly as stored", async () => {
    let read = 0;
    for (const { value } of HOSTILE_VALUES) {
      // Refused by the outside-text rule or the team's own rules: nothing stored to read.
      const created = await createTeam(
        { actor: SYSTEM },
        { name: `T ${randomUUID().slice(0, 8)}`, description: value },
      ).catch(() => null);
      if (!created) continue;
      const { id } = created;
      read++;
      const [viaDriver] = await readRows<Record<string, unknown>>(teamSql(), [id]);
      const [viaClient] = await db.$queryRawUnsafe<Record<string, unknown>[]>(teamSql(), id);
      expect(viaDriver).toEqual(viaClient);
      expect(viaDriver!.createdAt).toBeInstanceOf(Date);
      const stored = await db.team.findUniqueOrThrow({ where: { id } });
      expect((viaDriver!.createdAt as Date).getTime()).toBe(stored.createdAt.getTime());
      expect(viaDriver!.description).toBe(stored.description);
    }
    expect(read).toBeGreaterThanOrEqual(4); // the kept classes: NFD, the formulas, HTML
  });

  it("reads flags as booleans and absent values as null, like the model client", async () => {
    const sql = `SELECT "id", "isActive", "teamId", "lastSignInAt" FROM "User" ORDER BY "id"`;
    await authorizedWrite({ actor: SYSTEM }, { permission: "user:manage" }, async (tx, audit) => {
      await tx.user.create({ data: { email: `u-${randomUUID()}@example.gov.au`, name: "U", role: "AUDITOR" } });
      await tx.user.create({
        data: { email: `d-${randomUUID()}@example.gov.au`, name: "D", role: "AUDITOR", isActive: false },
      });
      await audit({ action: "test.users", targetType: "user", targetId: "-" });
    });
    const viaDriver = await readRows<Record<string, unknown>>(sql);
    expect(viaDriver).toEqual(await db.$queryRawUnsafe(sql));
    expect(viaDriver.map((r) => r.isActive).sort()).toEqual([false, true]);
    expect(viaDriver.every((r) => r.teamId === null && r.lastSignInAt === null)).toBe(true);
  });

  it("sees a commit at once, and binds arguments rather than splicing them", async () => {
    const { id } = await createTeam({ actor: SYSTEM }, { name: `Fresh ${randomUUID().slice(0, 8)}`, description: "" });
    expect(await readRows(teamSql(), [id])).toHaveLength(1);
    expect(await readRows(teamSql(), [`${id}' OR '1'='1`])).toEqual([]);
  });

  it("refuses to write", async () => {
    const before = await db.team.count();
    await expect(readRows(`DELETE FROM "Team"`)).rejects.toThrow();
    await expect(readRows(`SELECT 1; DELETE FROM "Team"`)).rejects.toThrow();
    await expect(readRows(`BEGIN READ WRITE; DELETE FROM "Team"; COMMIT`)).rejects.toThrow();
    await expect(readRows(`SELECT * INTO "Stolen" FROM "Team"`)).rejects.toThrow();
    await expect(
      readRows(`WITH gone AS (DELETE FROM "Team" RETURNING "id") SELECT count(*) AS n FROM gone`),
    ).rejects.toThrow();
    expect(await db.team.count()).toBe(before);
  });

  it("reads times as UTC whatever the process's time zone", async () => {
    const { id } = await createTeam({ actor: SYSTEM }, { name: `Zone ${randomUUID().slice(0, 8)}`, description: "" });
    const zone = process.env.TZ;
    process.env.TZ = "Australia/Sydney";
    try {
      const [row] = await readRows<{ createdAt: Date }>(teamSql(), [id]);
      const stored = await db.team.findUniqueOrThrow({ where: { id } });
      expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(-660); // the zone took effect (AEDT)
      expect(row!.createdAt.toISOString()).toBe(stored.createdAt.toISOString());
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("is refused inside a write, like db: it would wait for a second connection", async () => {
    await expect(
      authorizedWrite({ actor: SYSTEM }, { permission: "team:manage" }, async (_tx, audit) => {
        await readRows(`SELECT 1 AS one`);
        await audit({ action: "test.guard", targetType: "test", targetId: "-" });
      }),
    ).rejects.toThrow(/readRows used inside authorizedWrite/);
  });

  it("keeps answering past its statement cache (distinct texts beyond the cap)", async () => {
    for (let i = 0; i < MAX_CACHED_STATEMENTS + 20; i++) {
      const [row] = await readRows<{ n: number }>(`SELECT ${i} AS n`);
      expect(Number(row!.n)).toBe(i);
    }
    expect(await readRows(`SELECT count(*) AS n FROM "Team"`)).toHaveLength(1);
  });
});
