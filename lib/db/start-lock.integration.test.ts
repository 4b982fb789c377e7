// Issue 18: two instances starting on one empty PostgreSQL database both found it empty and both seeded.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db, disconnectDb } from "@/lib/db/client";
import { isDatabaseEmpty, seedDemo } from "@/prisma/seed";
import { DEMO_TEAMS, DEMO_USERS } from "@/prisma/demo-data";
import {
  SqliteFileBusy,
  SqliteFileShared,
  pendingSqliteMigrations,
  sqliteFileOpenElsewhere,
  waitForSqliteFile,
  whileStarting,
} from "@/lib/db/start-lock";
import { migrate } from "@/lib/testing/test-db";

const require = createRequire(import.meta.url);
import { verifyAuditChain } from "@/lib/audit/verify";

describe.runIf(await isPostgresAvailable())("first start of two instances on postgres", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await useTestDatabase("postgres");
  });
  afterAll(async () => {
    await disconnectDb();
    await database?.drop();
  });

  it("seeds the empty database once: the second instance waits, then finds it seeded", async () => {
    const seeded: boolean[] = [];
    // What `npm start` does after its migrations, twice at once.
    const start = () =>
      whileStarting(
        async () => {
          if (!(await isDatabaseEmpty())) return seeded.push(false);
          await seedDemo();
          return seeded.push(true);
        },
        { ...process.env, DATABASE_URL: database.url },
      );
    await Promise.all([start(), start()]);
    expect(seeded).toEqual([true, false]);
    expect(await db.team.count()).toBe(DEMO_TEAMS.length);
    expect(await db.user.count()).toBe(DEMO_USERS.length);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });
});

// Issue 18: a start while another process held the SQLite file failed after 10 s with "WASM_ERROR … unknown
// variant SocketTimeout". The start now waits for the file, and says which file is busy if it stays so.
describe("a busy SQLite file at start", () => {
  /** Another process that takes the file's write lock, says so, and lets go after `ms`. */
  const holdFor = (file: string, ms: number) =>
    new Promise<ChildProcess>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          "-e",
          `const D = require(${JSON.stringify(require.resolve("better-sqlite3"))}); const db = new D(process.argv[1]);
           db.exec("BEGIN EXCLUSIVE"); console.log("held"); setTimeout(() => db.exec("ROLLBACK"), ${ms});`,
          file,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      child.stdout!.once("data", () => resolve(child));
    });

  it("is waited for while another process holds it, and named in words when it stays busy", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-busy-"));
    const file = path.join(dir, "apiledger.db");
    new Database(file).exec("CREATE TABLE t (x)");
    try {
      // Held for longer than the wait: refused in words, naming the file.
      const long = await holdFor(file, 4000);
      const started = Date.now();
      expect(() => waitForSqliteFile(file, 1)).toThrow(SqliteFileBusy);
      expect(() => waitForSqliteFile(file, 1)).toThrow(`The database file ${file} is in use`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      long.kill();
      await new Promise((r) => long.once("exit", r));
      // Held for a second: the start waits, then goes on.
      const short = await holdFor(file, 1000);
      const waited = Date.now();
      expect(() => waitForSqliteFile(file, 10)).not.toThrow();
      expect(Date.now() - waited).toBeGreaterThanOrEqual(500);
      await new Promise((r) => short.once("exit", r));
      // A file not made yet is not busy.
      expect(() => waitForSqliteFile(path.join(dir, "not-yet.db"), 1)).not.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Issue 18: a second server on a SQLite file the first has open failed at `prisma migrate deploy` with the
// same cryptic error, every time: the schema engine takes the file for itself (locking_mode EXCLUSIVE)
// even with nothing to apply. The start now reads what is applied without taking the file.
describe("a SQLite file another server has open", () => {
  it("is seen to need no migration without the engine; a pending one is named in words", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-shared-"));
    const file = path.join(dir, "apiledger.db");
    const migrations = path.resolve("prisma/sqlite/migrations");
    try {
      expect(pendingSqliteMigrations(file, migrations)).toBeNull();
      migrate(`file:${file}`);
      // Another process with the file open, as a running server keeps it (WAL, no transaction held).
      const server = spawn(
        process.execPath,
        [
          "-e",
          `const D = require(${JSON.stringify(require.resolve("better-sqlite3"))}); const db = new D(process.argv[1]);
           db.pragma("journal_mode = WAL"); db.prepare("SELECT count(*) FROM sqlite_master").get(); console.log("open");
           setInterval(() => {}, 1000);`,
          file,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      await new Promise((resolve) => server.stdout!.once("data", resolve));
      try {
        expect(pendingSqliteMigrations(file, migrations)).toEqual({ pending: [], failed: [] });
        expect(sqliteFileOpenElsewhere(file)).toBe(true);
        // What the start no longer asks of it: the engine cannot have the file while it is open elsewhere.
        expect(() => migrate(`file:${file}`)).toThrow();
        // A newer release with a migration this file lacks: named, and why it cannot run now.
        const names = fs
          .readdirSync(migrations)
          .filter((n) => fs.existsSync(path.join(migrations, n, "migration.sql")));
        const last = names.sort().at(-1)!;
        const c = new Database(file);
        c.prepare('DELETE FROM "_prisma_migrations" WHERE "migration_name" = ?').run(last);
        c.close();
        const { pending } = pendingSqliteMigrations(file, migrations)!;
        expect(pending).toEqual([last]);
        expect(new SqliteFileShared(file, pending).message).toBe(
          `1 migration (${last}) must be applied to the database file ${file}, and another process has it open (another ApiLedger server?). SQLite applies migrations only with the file to itself: stop the other processes on this file, start one to apply them, then start the rest.`,
        );
        // One begun and failed earlier: reported as failed (Prisma's P3009 says what to do), not as waiting.
        const f = new Database(file);
        f.prepare(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES ('x', 'x', ?, 0, 0)`,
        ).run(last);
        f.close();
        expect(pendingSqliteMigrations(file, migrations)).toEqual({ pending: [last], failed: [last] });
      } finally {
        server.kill();
        await new Promise((r) => server.once("exit", r));
      }
      expect(sqliteFileOpenElsewhere(file)).toBe(false);
      // While a process has the file to itself (the schema engine migrating): waited for, then said in words.
      const engine = new Database(file);
      engine.pragma("locking_mode = EXCLUSIVE");
      engine.exec("BEGIN EXCLUSIVE");
      try {
        const started = Date.now();
        expect(() => pendingSqliteMigrations(file, migrations, 1)).toThrow(SqliteFileBusy);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      } finally {
        engine.exec("ROLLBACK");
        engine.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
