import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderSchema } from "@/prisma/generate-schemas.mjs";

describe("one data model for both databases", () => {
  it("the committed provider schemas are generated from prisma/base.prisma", () => {
    for (const name of ["sqlite", "postgres"] as const) {
      expect(
        fs.readFileSync(`prisma/${name}/schema.prisma`, "utf8"),
        `prisma/${name}/schema.prisma is stale: run npm run db:schemas`,
      ).toBe(renderSchema(name));
    }
  });

  it.each(["sqlite", "postgres"] as const)(
    "the committed %s migrations produce exactly the schema (no drift)",
    (name) => {
      // `migrate diff` from the migrations folder to the schema prints an empty script when they agree;
      // --exit-code makes it exit 2 when there is a difference.
      const url =
        name === "sqlite"
          ? `file:${path.join(os.tmpdir(), `apiledger-drift-${process.pid}`, "drift-check.db")}`
          : "postgresql://postgres@127.0.0.1:5432/postgres";
      const run = () =>
        execFileSync(
          process.execPath,
          [
            "node_modules/prisma/build/index.js",
            "migrate",
            "diff",
            "--from-migrations",
            `prisma/${name}/migrations`,
            "--to-schema",
            `prisma/${name}/schema.prisma`,
            "--exit-code",
          ],
          {
            env: { ...process.env, DATABASE_URL: url },
            stdio: "pipe",
          },
        ).toString();
      expect(run).not.toThrow();
    },
  );
});
