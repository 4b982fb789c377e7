// The limits on PostgreSQL are shared by every instance: two processes on one database, each sent 80 of
// a caller's requests with a limit of 60 a minute, let 60 through between them, not 120. (Measured on the
// per-process buckets before this: two instances let 131 of 160 through.)
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { libpqUrl } from "@/lib/db/db-url";
import { resetRateLimits, takeRequest } from "@/lib/http/rate-limit";

function instance(url: string, key: string, count: number, startAt: number, perMinute = 60): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=react-server",
        "lib/testing/take-requests.ts",
        key,
        String(count),
        String(startAt),
      ],
      { env: { ...process.env, DATABASE_URL: url, APILEDGER_API_RATE_PER_MINUTE: String(perMinute) } },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) =>
      code === 0 ? resolve((JSON.parse(out.trim()) as { allowed: number }).allowed) : reject(new Error(err)),
    );
  });
}

describe.runIf(await isPostgresAvailable())("request limits shared on PostgreSQL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await useTestDatabase("postgres");
  });
  afterAll(async () => {
    await resetRateLimits();
    await database?.drop();
  });

  it("two instances sent 80 requests each by one caller let 60 through between them", async () => {
    const startAt = Date.now() + 5000;
    const [a, b] = await Promise.all([
      instance(database.url, "token-1", 80, startAt),
      instance(database.url, "token-1", 80, startAt),
    ]);
    // With a count in each process, each would have let 60 through.
    expect(a + b).toBe(60);
    // This process, a third instance, finds the caller's minute used up, and another caller's untouched.
    expect(await takeRequest("token-1", 60)).toMatchObject({ ok: false });
    expect(await takeRequest("token-2", 60)).toEqual({ ok: true });
  });

  // A busy caller's count is taken in shares (a 64th of what is left, at most 64), not one statement a request.
  it("busy callers are counted in shares: never over the limit between instances, and a few dozen statements for thousands of requests", async () => {
    const commits = async () => {
      const client = new pg.Client({ connectionString: libpqUrl(database.url).url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          "SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()",
        );
        return Number(rows[0]!.n);
      } finally {
        await client.end();
      }
    };
    const before = await commits();
    const startAt = Date.now() + 5000;
    const [a, b] = await Promise.all([
      instance(database.url, "token-busy", 4000, startAt, 6000),
      instance(database.url, "token-busy", 4000, startAt, 6000),
    ]);
    // Never more than the limit; fewer only by what an instance took and had not spent when it stopped.
    expect(a + b).toBeLessThanOrEqual(6000);
    expect(a + b).toBeGreaterThanOrEqual(6000 - 2 * 64);
    // The instances have exited, so their sessions' statistics are in (each count is one transaction).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const statements = (await commits()) - before;
    expect(statements).toBeLessThan(1000);
  });

  it("while the database does not answer, each process still counts in its own memory", async () => {
    const saved = process.env.DATABASE_URL;
    await resetRateLimits();
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/nowhere";
    try {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await takeRequest("token-3", 5)).ok);
      expect(answers).toEqual([true, true, true, true, true, false]);
    } finally {
      await resetRateLimits();
      process.env.DATABASE_URL = saved;
    }
  });
});
