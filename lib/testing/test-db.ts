// A database of its own for each integration test file: a temporary SQLite file, or a PostgreSQL
// database created on the local server and dropped afterwards. Migrations are applied with the same
// command `npm start` uses, so the tests also prove the committed migrations.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { disconnectDb } from "@/lib/db/client";
import type { DbProvider } from "@/lib/db/db-url";

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let postgresAvailable: boolean | undefined;
/** PostgreSQL tests run where a server is reachable (it is on the development and CI machines). */
export async function isPostgresAvailable(): Promise<boolean> {
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

export async function createTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  const name = `apiledger_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-test-"));
    const url = `file:${path.join(dir, `${name}.db`)}`;
    migrate(url);
    return { provider, url, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const target = new URL(POSTGRES_ADMIN_URL);
  target.pathname = `/${name}`;
  const url = target.toString();
  migrate(url);
  return {
    provider,
    url,
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
