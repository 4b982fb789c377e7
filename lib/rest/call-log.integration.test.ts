// The REST call log must not lose what it was given: not while the database is away, not on a graceful
// stop; and each batch's audit entry fingerprints its rows as stored, so the log is covered by the chain.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { databaseRelay, type Relay } from "@/lib/testing/db-outage";
import { db, disconnectDb } from "@/lib/db/client";
import { MAX_HELD, flushApiCalls, heldApiCalls, recordApiCall, type ApiCall } from "@/lib/rest/call-log";
import { eventOrigin } from "@/lib/events/event-id";
import { runShutdown } from "@/lib/server/shutdown";

const call = (route: string, status = 200): ApiCall => ({
  at: new Date(),
  tokenId: null,
  userId: null,
  method: "GET",
  route,
  status,
  ip: "10.0.0.7",
  durationMs: 4,
});

/** Every rest.calls entry's sha256 recomputed from the ApiCallLog rows of its batch; returns the counts. */
async function checkFingerprints(): Promise<{ entries: number; logged: number; unlogged: number }> {
  const rows = await db.apiCallLog.findMany({ orderBy: { id: "asc" } });
  const entries = await db.auditEntry.findMany({ where: { action: "rest.calls" }, orderBy: { seq: "asc" } });
  let logged = 0;
  let unlogged = 0;
  for (const entry of entries) {
    const details = JSON.parse(entry.diff) as { batchId: string; count: number; sha256: string; unlogged?: number };
    const batch = rows.filter((r) => eventOrigin(r.id)?.batchId === entry.targetId);
    expect(batch).toHaveLength(details.count);
    const tuples = batch.map((r) => [
      r.id,
      r.at.toISOString(),
      r.tokenId,
      r.userId,
      r.method,
      r.route,
      r.status,
      r.ip,
      r.durationMs,
    ]);
    expect(createHash("sha256").update(JSON.stringify(tuples)).digest("hex")).toBe(details.sha256);
    logged += details.count;
    unlogged += details.unlogged ?? 0;
  }
  expect(logged).toBe(rows.length);
  return { entries: entries.length, logged, unlogged };
}

describe("REST call log on sqlite", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await useTestDatabase("sqlite");
  });
  afterAll(async () => database?.drop());

  it("each batch's audit entry carries the SHA-256 of its rows as stored; altering a row breaks it", async () => {
    for (let i = 0; i < 7; i++) recordApiCall(call(`/api/v1/apis/${i}`, i === 3 ? 404 : 200));
    await flushApiCalls();
    for (let i = 0; i < 3; i++) recordApiCall(call(`/api/v1/incidents/${i}`));
    await flushApiCalls();
    expect(await checkFingerprints()).toEqual({ entries: 2, logged: 10, unlogged: 0 });
    // What an auditor would catch: a row rewritten after the fact no longer matches its batch's entry.
    const Database = (await import("better-sqlite3")).default;
    const file = new Database(database.url.replace(/^file:/, ""));
    file.prepare("UPDATE ApiCallLog SET status = 200 WHERE route = '/api/v1/apis/3'").run();
    file.close();
    await expect(checkFingerprints()).rejects.toThrow();
  });
});

describe.runIf(await isPostgresAvailable())("REST call log on postgres, through an outage", () => {
  let database: TestDatabase;
  let relay: Relay;
  beforeAll(async () => {
    database = await useTestDatabase("postgres");
    relay = await databaseRelay(database.url, 3561);
    process.env.DATABASE_URL = relay.url;
    await disconnectDb();
  });
  afterAll(async () => {
    await relay?.close();
    await database?.drop();
  });

  it("keeps the calls made while the database is unavailable and writes each exactly once when it is back", async () => {
    for (let i = 0; i < 30; i++) recordApiCall(call(`/api/v1/apis/before-${i}`));
    await flushApiCalls();
    expect(await db.apiCallLog.count()).toBe(30);
    await relay.down();
    for (let i = 0; i < 40; i++) recordApiCall(call(`/api/v1/apis/during-${i}`, 503));
    await flushApiCalls(); // fails: the batch is kept for a retry, not dropped
    expect(heldApiCalls()).toBe(40);
    await relay.up();
    await flushApiCalls();
    expect(heldApiCalls()).toBe(0);
    const routes = (await db.apiCallLog.findMany({ select: { route: true } })).map((r) => r.route);
    expect(routes).toHaveLength(70);
    expect(new Set(routes).size).toBe(70);
    expect(routes.filter((r) => r.includes("during"))).toHaveLength(40);
    expect(await checkFingerprints()).toMatchObject({ logged: 70, unlogged: 0 });
  });

  it("retries by itself with backoff, without a flush from outside", async () => {
    await relay.down();
    for (let i = 0; i < 5; i++) recordApiCall(call(`/api/v1/apis/self-${i}`));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the first attempt has failed
    await relay.up();
    const deadline = Date.now() + 15_000;
    while (heldApiCalls() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heldApiCalls()).toBe(0);
    expect(await db.apiCallLog.count({ where: { route: { startsWith: "/api/v1/apis/self-" } } })).toBe(5);
  });

  it("a full batch arriving during the backoff does not cancel the retry", async () => {
    await relay.down();
    recordApiCall(call("/api/v1/apis/first", 503));
    await new Promise((resolve) => setTimeout(resolve, 1300)); // the first attempt has failed; a retry is due
    // 500 more (FLUSH_AT) ask for a write while the backoff lasts; the outage goes on, so they all fail.
    for (let i = 0; i < 500; i++) recordApiCall(call(`/api/v1/apis/full-${i}`, 503));
    await relay.up();
    const deadline = Date.now() + 15_000;
    while (heldApiCalls() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heldApiCalls()).toBe(0);
    expect(await db.apiCallLog.count({ where: { route: { startsWith: "/api/v1/apis/full-" } } })).toBe(500);
  });

  it("writes what an outage held as soon as a call succeeds again, not at the end of the backoff", async () => {
    await relay.down();
    for (let i = 0; i < 5; i++) recordApiCall(call(`/api/v1/apis/held-${i}`, 503));
    // Attempts fail after 1 s and 3 s; the next would be 4 s later.
    await new Promise((resolve) => setTimeout(resolve, 3300));
    await relay.up();
    recordApiCall(call("/api/v1/apis/back"));
    const deadline = Date.now() + 1500;
    while (heldApiCalls() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heldApiCalls()).toBe(0);
    expect(await db.apiCallLog.count({ where: { route: { startsWith: "/api/v1/apis/held-" } } })).toBe(5);
  });

  it(`past ${MAX_HELD.toLocaleString("en-AU")} held calls, new ones are counted, not kept, and the next audit entry says how many`, async () => {
    const before = await db.apiCallLog.count();
    const seqBefore = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    await relay.down();
    for (let i = 0; i < MAX_HELD + 10; i++) recordApiCall(call(`/api/v1/apis/flood-${i}`));
    expect(heldApiCalls()).toBe(MAX_HELD);
    await relay.up();
    await flushApiCalls();
    expect(await db.apiCallLog.count()).toBe(before + MAX_HELD);
    // The first batch written after the outage reports the loss.
    const written = await db.auditEntry.findMany({
      where: { action: "rest.calls", seq: { gt: seqBefore } },
      orderBy: { seq: "asc" },
    });
    expect(written[0]!.summary).toMatch(/^\d+ REST API call\(s\) logged; 10 earlier call\(s\) could not be logged$/);
    expect(written.slice(1).filter((e) => e.summary.includes("could not"))).toEqual([]);
    expect(await checkFingerprints()).toMatchObject({ unlogged: 10 });
  });

  it("a graceful stop writes every held call", async () => {
    for (let i = 0; i < 25; i++) recordApiCall(call(`/api/v1/apis/stop-${i}`));
    expect(heldApiCalls()).toBe(25);
    await runShutdown();
    expect(await db.apiCallLog.count({ where: { route: { startsWith: "/api/v1/apis/stop-" } } })).toBe(25);
  });
});
