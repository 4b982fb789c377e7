// The write path is a structural guarantee, not a convention: only authorizedWrite holds a writable
// client, and the shared `db` refuses writes at run time.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { authorizedWrite } from "@/lib/audit/authorized-write";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    // lib/architecture names the writable client only to check who takes it (as this test does).
    if (e.isDirectory()) return ["generated", "node_modules", "architecture"].includes(e.name) ? [] : sourceFiles(full);
    return /\.(ts|tsx|mjs)$/.test(e.name) ? [full] : [];
  });
}

describe("one way to write", () => {
  const files = ["app", "components", "lib", "prisma", "e2e"].flatMap(sourceFiles).concat(["proxy.ts"]);

  it("only lib/audit/authorized-write.ts takes the writable client", () => {
    const users = files.filter(
      (f) =>
        f !== path.join("lib", "db", "client.ts") &&
        !f.endsWith(".test.ts") &&
        fs.readFileSync(f, "utf8").includes("writableClientForAuthorizedWrite"),
    );
    expect(users).toEqual([path.join("lib", "audit", "authorized-write.ts")]);
  });

  it("only the bulk insert reaches a transaction's raw connection", () => {
    // With the shared read client instead of a transaction it would hand out a connection that writes
    // outside authorizedWrite, so its one caller is the helper that runs inside one.
    const users = files.filter(
      (f) =>
        f !== path.join("lib", "db", "client.ts") &&
        !f.endsWith(".test.ts") &&
        fs.readFileSync(f, "utf8").includes("transactionConnection"),
    );
    expect(users).toEqual([path.join("lib", "audit", "bulk-insert.ts")]);
  });

  it("only the REST path's hot reads go around the model client (readRows)", () => {
    const users = files.filter(
      (f) =>
        !f.startsWith(path.join("lib", "db") + path.sep) &&
        !f.endsWith(".test.ts") &&
        /\breadRows\b/.test(fs.readFileSync(f, "utf8")),
    );
    expect(users.sort()).toEqual([path.join("lib", "apis", "queries.ts"), path.join("lib", "rest", "authenticate.ts")]);
  });

  it("only lib/audit/authorized-write.ts opens a write scope (the guard against waiting for a second connection)", () => {
    const users = files.filter(
      (f) =>
        f !== path.join("lib", "db", "client.ts") &&
        !f.endsWith(".test.ts") &&
        /\binsideWrite\(/.test(fs.readFileSync(f, "utf8")),
    );
    expect(users).toEqual([path.join("lib", "audit", "authorized-write.ts")]);
  });

  it("only lib/db/client.ts constructs Prisma clients", () => {
    const constructing = files.filter((f) =>
      /new (PrismaClient|SqliteClient|PostgresClient)\b/.test(fs.readFileSync(f, "utf8")),
    );
    expect(constructing).toEqual([path.join("lib", "db", "client.ts")]);
  });

  it("components never import the database or server-only services", () => {
    const offenders = sourceFiles("components").filter((f) =>
      /from "@\/lib\/(db|generated\/|audit\/authorized-write)/.test(fs.readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  describe("at run time", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase("sqlite");
    });
    afterAll(async () => database?.drop());

    it("the shared client refuses every kind of write", async () => {
      await expect(db.team.create({ data: { name: "sneaky" } })).rejects.toThrow(/outside authorizedWrite/);
      await expect(db.team.deleteMany({})).rejects.toThrow(/outside authorizedWrite/);
      await expect(db.auditEntry.updateMany({ data: { summary: "x" } })).rejects.toThrow(/outside authorizedWrite/);
      await expect(db.$executeRawUnsafe("DELETE FROM AuditEntry")).rejects.toThrow(/outside authorizedWrite/);
      await expect(db.$queryRawUnsafe("DELETE FROM AuditEntry RETURNING seq")).rejects.toThrow(
        /outside authorizedWrite/,
      );
      await expect(db.$queryRaw`DELETE FROM AuditEntry RETURNING seq`).rejects.toThrow(/outside authorizedWrite/);
      await expect(db.$queryRawUnsafe("SELECT 1; DELETE FROM AuditEntry")).rejects.toThrow(/outside authorizedWrite/);
      await expect(
        db.$queryRawUnsafe("WITH gone AS (DELETE FROM AuditEntry RETURNING seq) SELECT count(*) FROM gone"),
      ).rejects.toThrow(/outside authorizedWrite/);
      await expect(db.$queryRawUnsafe("SELECT * INTO Stolen FROM AuditEntry")).rejects.toThrow(
        /outside authorizedWrite/,
      );
      expect(await db.$queryRawUnsafe<{ n: bigint }[]>("SELECT count(*) AS n FROM Team")).toEqual([{ n: 0n }]);
      expect(await db.team.count()).toBe(0);
    });

    it("inside a write, the shared client and a nested write are refused: they would wait for a second connection while the chain is locked", async () => {
      const system = { actor: { kind: "system" as const, id: null, email: "test" } };
      const write = (body: () => Promise<unknown>) =>
        authorizedWrite(system, { permission: "team:manage" }, async (_tx, audit) => {
          await body();
          await audit({ action: "test.guard", targetType: "test", targetId: "-" });
        });
      await expect(write(() => db.appSetting.findMany())).rejects.toThrow(
        /db\.appSetting used inside authorizedWrite\(team:manage\): use the transaction client \(tx\)/,
      );
      await expect(write(() => write(async () => undefined))).rejects.toThrow(
        /A nested authorizedWrite used inside authorizedWrite/,
      );
      // Work started inside that outlives the transaction (a background job) may read afterwards.
      let later: Promise<number> | undefined;
      await write(async () => {
        later = new Promise((resolve) => setTimeout(resolve, 50)).then(() => db.team.count());
      });
      await expect(later).resolves.toBe(0);
      expect(await db.team.count()).toBe(0);
    });
  });
});
