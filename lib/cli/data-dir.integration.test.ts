// README: APILEDGER_DATA_DIR holds the SQLite file unless DATABASE_URL says otherwise. Operators who set
// only the data directory must get migrations and the app on the same file — the one in that directory.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

// Relative, as operators write it: every process must resolve it against the project root the same way.
const relativeDir = path.join(".apiledger", `data-dir-test-${randomBytes(4).toString("hex")}`);
const env: NodeJS.ProcessEnv = { ...process.env, APILEDGER_DATA_DIR: relativeDir };
delete env.DATABASE_URL;

const run = (args: string[]) => {
  const r = spawnSync(args[0]!, args.slice(1), { env, encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
};

describe("APILEDGER_DATA_DIR without DATABASE_URL", () => {
  afterAll(() => fs.rmSync(relativeDir, { recursive: true, force: true }));

  it("npm run db:migrate and the app use <data dir>/apiledger.db", () => {
    const file = path.resolve(relativeDir, "apiledger.db");
    const migrated = run(["npm", "run", "--silent", "db:migrate"]);
    expect(migrated.code, migrated.out).toBe(0);
    expect(fs.existsSync(file)).toBe(true);
    // The app (here a CLI command that writes through lib/db) finds the migrated tables in that file.
    const created = run([
      process.execPath,
      "--import",
      "tsx",
      "--conditions=react-server",
      "lib/cli/user-create.ts",
      "--email",
      "first@agency.example",
      "--role",
      "ADMIN",
    ]);
    expect(created.code, created.out).toBe(0);
    const sqlite = new Database(file, { readonly: true });
    expect(sqlite.prepare("SELECT email FROM User").all()).toEqual([{ email: "first@agency.example" }]);
    sqlite.close();
  });
});
