// The operator commands, run as a person would run them (a separate process on a SQLite file).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { sqlitePath } from "@/lib/db/db-url";

let database: TestDatabase;
// Its own data dir: audit:verify reads the installation's checkpoint file from it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-cli-"));
const run = (script: string, args: string[] = []) => {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", `lib/cli/${script}.ts`, ...args],
    {
      env: { ...process.env, DATABASE_URL: database.url, APILEDGER_DATA_DIR: dataDir },
      encoding: "utf8",
    },
  );
  return { code: r.status, out: r.stdout + r.stderr };
};

describe("CLI commands", () => {
  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
  });
  afterAll(async () => database?.drop());

  it("user:create makes the first admin and prints a one-time password; bad input is refused", () => {
    const ok = run("user-create", ["--email", "First.Admin@Agency.example", "--role", "ADMIN"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Created ADMIN first\.admin@agency\.example/);
    expect(ok.out).toMatch(/One-time password: [A-Za-z0-9]{20}/);
    expect(run("user-create", ["--email", "first.admin@agency.example"]).out).toMatch(/already exists/);
    expect(run("user-create", ["--email", "x@agency.example", "--role", "ROOT"]).code).toBe(1);
    expect(run("user-create", ["--email", "not-an-email"]).out).toMatch(/valid email/);
  });

  it("ism:import imports a release once and refuses a file that is not a catalog", () => {
    const first = run("ism-import", ["../shared/data/ism/ISM_catalog-2025.12.json"]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Imported; now in use\./);
    expect(run("ism-import", ["../shared/data/ism/ISM_catalog-2025.12.json"]).out).toMatch(
      /Already imported; nothing to do\./,
    );
    const older = run("ism-import", ["../shared/data/ism/ISM_catalog-2025.09.json", "--dry-run"]);
    expect(older.out).toMatch(/Compared with 2025\.12\.9: 6 added, 21 removed, 90 revised/);
    expect(older.out).toMatch(/Dry run: nothing imported\./);
    const bad = run("ism-import", ["package.json"]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/not an OSCAL catalog/);
  });

  it("audit:verify passes on an untouched log and fails, naming the entry, after tampering", () => {
    const good = run("audit-verify");
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/Hash chain intact: \d+ entries verified\./);
    expect(good.out).toMatch(/Audit log intact\./);
    const file = new Database(sqlitePath(database.url));
    file.prepare("UPDATE AuditEntry SET summary = 'nothing happened' WHERE seq = 2").run();
    file.close();
    const bad = run("audit-verify");
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/Hash chain BROKEN: 1 of \d+ entries fail verification/);
    expect(bad.out).toMatch(/entry 2: it was altered after it was written/);
  });
});
