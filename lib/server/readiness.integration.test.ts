// GET /api/ready (issue 18): a load balancer sends requests only to an instance whose database answers, whose
// migrations are all applied and whose file store takes a write.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { readiness } from "@/lib/server/readiness";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-ready-"));
process.env.APILEDGER_DATA_DIR = dataDir;
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("readiness", () => {
  it("a database with no migrations applied is not ready, and says what to run", async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `file:${path.join(dataDir, "empty.db")}`;
    try {
      const answer = await readiness();
      expect(answer.ready).toBe(false);
      expect(answer.checks).toMatchObject({ database: "ok", store: "ok" });
      expect(answer.checks.migrations).toMatch(/not applied.*npm start/);
    } finally {
      process.env.DATABASE_URL = previous;
    }
  });
});

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`on ${provider}`, () => {
    let database: TestDatabase;
    afterAll(async () => database?.drop());

    it("a migrated database and a writable store are ready; a store that takes no write is not", async () => {
      database = await useTestDatabase(provider);
      expect(await readiness()).toEqual({
        ready: true,
        checks: { database: "ok", migrations: "ok", store: "ok" },
      });
      // The store's folder is a file: nothing can be written under it.
      const blocked = path.join(dataDir, `blocked-${provider}`);
      fs.writeFileSync(blocked, "");
      process.env.APILEDGER_DATA_DIR = blocked;
      try {
        expect(await readiness()).toEqual({
          ready: false,
          checks: { database: "ok", migrations: "ok", store: "not writable" },
        });
      } finally {
        process.env.APILEDGER_DATA_DIR = dataDir;
      }
    });
  });
}
