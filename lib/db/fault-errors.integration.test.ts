// A database outage is the installation's fault, not a bug: REST answers 503 with Retry-After, server
// actions and pages say the database is unavailable, and the app recovers by itself the moment the
// database is back. Both drivers' real errors: PostgreSQL through a relay that is cut (connections
// refused, open ones dropped mid-use), SQLite locked by another process beyond the busy timeout.
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { databaseRelay, type Relay } from "@/lib/testing/db-outage";
import { db, disconnectDb } from "@/lib/db/client";
import { sqlitePath } from "@/lib/db/db-url";
import { createTeam } from "@/lib/teams/create-team";
import { runAction } from "@/lib/next/action-result";
import { problemFor } from "@/lib/http/responses";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };
const newTeam = () => createTeam({ actor: SYSTEM }, { name: `Team ${randomUUID().slice(0, 8)}`, description: "" });

async function expectUnavailable(write: () => Promise<unknown>): Promise<void> {
  const error = await write().then(
    () => null,
    (e: unknown) => e,
  );
  const response = problemFor(error);
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  const body = (await response.json()) as { detail: string };
  expect(body.detail).toBe(
    "The database is unavailable right now, so nothing was changed. Try again in a few seconds.",
  );
  expect(JSON.stringify(body)).not.toMatch(/prisma|ECONN|57P|SQLITE|invocation/i); // no driver text
  expect(await runAction(write)).toMatchObject({
    ok: false,
    code: "SERVICE_UNAVAILABLE",
    message: expect.stringMatching(/^The database is unavailable/),
  });
}

describe.runIf(await isPostgresAvailable())("PostgreSQL unavailable", () => {
  let database: TestDatabase;
  let relay: Relay;
  beforeAll(async () => {
    database = await useTestDatabase("postgres");
    relay = await databaseRelay(database.url, 3562);
    process.env.DATABASE_URL = relay.url;
    await disconnectDb();
  });
  afterAll(async () => {
    await relay?.close();
    await database?.drop();
  });

  it("writes get 503 with Retry-After, pages a digest their error screen names, and the first write after it returns succeeds at once", async () => {
    await newTeam(); // the pool holds open connections, which the outage then cuts
    await relay.down();
    await expectUnavailable(newTeam);
    // A page's read: Next hides the message in production but passes the digest to app/error.tsx.
    await expect(db.team.count()).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      digest: "apiledger-service-unavailable",
    });
    await relay.up();
    const back = Date.now();
    await newTeam();
    expect(Date.now() - back).toBeLessThan(300);
    expect(await db.team.count()).toBe(2);
  });

  it("a connection cut in the middle of a query is 503 too, and the next query works once the database is back", async () => {
    const inFlight = db.$queryRawUnsafe("SELECT pg_sleep(3)").then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await relay.down();
    const error = await inFlight;
    expect(error).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(problemFor(error).status).toBe(503);
    await relay.up();
    expect(await db.team.count()).toBe(2);
  });
});

describe("SQLite locked by another process beyond the busy timeout", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await useTestDatabase("sqlite");
  });
  afterAll(async () => database?.drop());

  it("is 503 with Retry-After, and the write succeeds once the lock is released", async () => {
    await newTeam();
    const other = new Database(sqlitePath(database.url));
    other.exec("BEGIN EXCLUSIVE");
    try {
      const error = await newTeam().then(
        () => null,
        (e: unknown) => e,
      );
      const response = problemFor(error);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await newTeam();
    expect(await db.team.count()).toBe(2);
  });

  it("a write waiting for the lock leaves the server free meanwhile, and goes through once it is let go", async () => {
    const other = new Database(sqlitePath(database.url));
    other.exec("BEGIN EXCLUSIVE");
    // The holder lets go after a second — on a timer of this process, which fires only if waiting for the
    // lock does not hold the event loop (SQLite's own busy wait sleeps on the calling thread).
    const release = setTimeout(() => (other.exec("ROLLBACK"), other.close()), 1000);
    let longestStall = 0;
    let last = performance.now();
    const tick = setInterval(() => {
      longestStall = Math.max(longestStall, performance.now() - last);
      last = performance.now();
    }, 10);
    try {
      const started = performance.now();
      const before = await db.team.count();
      await newTeam();
      expect(performance.now() - started).toBeGreaterThan(900);
      expect(await db.team.count()).toBe(before + 1);
    } finally {
      clearInterval(tick);
      clearTimeout(release);
      if (other.open) other.close();
    }
    expect(longestStall).toBeLessThan(250);
  });
});
