// The offline schema-engine bridge runs the migration commands on both databases without a native binary.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from "@/lib/testing/test-db";

const prisma = (args: string[], url: string) =>
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", ...args], {
    env: { ...process.env, DATABASE_URL: url, APILEDGER_NATIVE_SCHEMA_ENGINE: "" },
    stdio: "pipe",
  }).toString();

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `prisma migrate through the wasm bridge on ${provider}`,
    () => {
      let database: TestDatabase;
      beforeAll(async () => {
        database = await createTestDatabase(provider); // runs `migrate deploy`
      });
      afterAll(async () => database?.drop());

      it("status, reset and deploy work and agree", () => {
        expect(prisma(["migrate", "status"], database.url)).toMatch(/Database schema is up to date/);
        expect(prisma(["migrate", "reset", "--force"], database.url)).toMatch(/reset/i);
        expect(prisma(["migrate", "status"], database.url)).toMatch(/Database schema is up to date/);
        expect(prisma(["migrate", "deploy"], database.url)).toMatch(/No pending migrations to apply/);
      });

      it("diffs the live database against the schema (empty when in sync)", () => {
        const out = prisma(
          [
            "migrate",
            "diff",
            "--from-config-datasource",
            "--to-schema",
            `prisma/${provider}/schema.prisma`,
            "--script",
          ],
          database.url,
        );
        expect(out).toMatch(/empty migration/i);
      });
    },
  );
}
