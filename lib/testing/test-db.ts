// A database of its own for each integration test file: a temporary SQLite file, or a PostgreSQL
// database created on the local server and dropped afterwards. Migrations are applied with the same
// command `npm start` uses, so the tests also prove the committed migrations — once per set of
// migrations and database kind, into a template every test database is then copied from (a file copy, or
// PostgreSQL's CREATE DATABASE … TEMPLATE): 0.1 s per database instead of 1.8 s of `migrate deploy`.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { disconnectDb } from "@/lib/db/client";
import type { DbProvider } from "@/lib/db/db-url";

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let postgresAvailable: boolean | undefined;
/**
 * PostgreSQL tests run where a server is reachable (it is on the development and CI machines), unless
 * APILEDGER_TEST_POSTGRES=off: the Node.js LTS stage (lib/cli/test-node-lts.ts) runs SQLite's side only.
 */
export async function isPostgresAvailable(): Promise<boolean> {
  if (process.env.APILEDGER_TEST_POSTGRES === "off") return false;
  if (postgresAvailable !== undefined) return postgresAvailable;
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    postgresAvailable = true;
  } catch {
    postgresAvailable = false;
  }
  return postgresAvailable;
}

export function migrate(url: string): void {
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
}

export type TestDatabase = { provider: DbProvider; url: string; drop: () => Promise<void> };

/** A digest of the committed migrations: a template made from other migrations is never used. */
function migrationsDigest(provider: DbProvider): string {
  const dir = path.resolve("prisma", provider, "migrations");
  const hash = createHash("sha256");
  for (const entry of fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const file = path.join(dir, entry);
    if (fs.statSync(file).isFile()) hash.update(entry).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** The migrated SQLite template, made by whichever test process gets there first (an atomic rename). */
function sqliteTemplate(): string {
  const file = path.join(os.tmpdir(), `apiledger-template-${migrationsDigest("sqlite")}.db`);
  if (fs.existsSync(file)) return file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-template-"));
  const building = path.join(dir, "template.db");
  try {
    migrate(`file:${building}`);
    fs.renameSync(building, file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return file;
}

/**
 * Runs `work` on an admin connection holding a lock shared by every test process: templates are made
 * once, and copied one at a time (PostgreSQL refuses to copy a template someone is connected to).
 */
async function withTemplateLock<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext('apiledger test template'))");
    return await work(admin);
  } finally {
    await admin.end(); // ends the session, and with it the lock
  }
}

function databaseUrl(name: string): string {
  const target = new URL(POSTGRES_ADMIN_URL);
  target.pathname = `/${name}`;
  return target.toString();
}

export async function createTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  const name = `apiledger_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-test-"));
    const file = path.join(dir, `${name}.db`);
    fs.copyFileSync(sqliteTemplate(), file);
    return { provider, url: `file:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const template = `apiledger_template_${migrationsDigest("postgres")}`;
  await withTemplateLock(async (admin) => {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (!exists.rowCount) {
      // Made under another name and renamed once migrated: a run killed halfway leaves no broken template.
      const building = `${template}_${randomBytes(4).toString("hex")}`;
      await admin.query(`CREATE DATABASE "${building}"`);
      try {
        migrate(databaseUrl(building));
      } catch (error) {
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        throw error;
      }
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  });
  return {
    provider,
    url: databaseUrl(name),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Points the app's `db` at a fresh database for the duration of a test file. */
export async function useTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  const database = await createTestDatabase(provider);
  await disconnectDb();
  process.env.DATABASE_URL = database.url;
  return {
    ...database,
    drop: async () => {
      await disconnectDb();
      await database.drop();
    },
  };
}
