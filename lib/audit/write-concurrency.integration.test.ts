// Issue 12, item 14: on PostgreSQL every writer holds a pooled connection while it waits for the audit
// chain's lock, so a write that needed a second connection while holding the lock (the alert rules read
// settings through the shared pool) stalled everything behind it for 30–60 s once more writers than
// connections arrived. More concurrent writers than the pool has connections, of every kind, must all
// finish in seconds — and the chain must still verify.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db, disconnectDb } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor, Role } from "@/lib/authz/policy";
import { createApi } from "@/lib/apis/create-api";
import { updateApi } from "@/lib/apis/update-api";
import { apiInput } from "@/lib/testing/api-input";
import { reportIncident } from "@/lib/incidents/report-incident";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { attemptPasswordSignIn } from "@/lib/auth/sign-in";
import { verifyAuditChain } from "@/lib/audit/verify";
import { IdempotentReplay } from "@/lib/audit/authorized-write";
import pg from "pg";

const POOL_SIZE = 4;
const WRITERS_PER_KIND = POOL_SIZE + 5;

describe.runIf(await isPostgresAvailable())("concurrent writers on postgres, more than the pool holds", () => {
  let database: TestDatabase;
  let owner: Actor;
  let teamId: string;
  let ledger: string;
  beforeAll(async () => {
    process.env.DATABASE_POOL_SIZE = String(POOL_SIZE);
    database = await useTestDatabase("postgres");
    await seedDemo();
    const u = await db.user.findUniqueOrThrow({ where: { email: "owner@example.com" } });
    owner = { kind: "user", id: u.id, email: u.email, role: u.role as Role, teamId: u.teamId };
    teamId = u.teamId!;
    ledger = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
  });
  afterAll(async () => {
    delete process.env.DATABASE_POOL_SIZE;
    await disconnectDb();
    await database?.drop();
  });

  it(`${WRITERS_PER_KIND} writers of each kind at once finish in seconds, and the chain verifies`, async () => {
    const now = Date.now();
    // Failures over the alert threshold (10 in 5 min): the batch raises alerts and notifies, inside its lock.
    const failures = (i: number) =>
      Array.from({ length: 15 }, (_, k) => ({
        time: new Date(now - 60_000 + k * 1000).toISOString(),
        api: ledger,
        clientId: `attacker-${i}`,
        principal: "svc",
        outcome: "authn_failure",
        sourceIp: `10.9.${i}.${k}`,
        method: "POST",
        route: "/ledger/entries",
      }));
    const api = (i: number) => apiInput(teamId, { name: `Concurrent ${i}`, purpose: "Load", ownerId: owner.id! });
    const incident = (i: number) => ({
      title: `Concurrent incident ${i}`,
      type: "CREDENTIAL_COMPROMISE",
      severity: "HIGH",
      detectedAt: "2026-11-10T08:15",
      reportedAt: "2026-11-10T09:00",
      reportedBy: "SOC",
      description: "Load.",
      apiIds: [ledger],
      affectedClients: "",
      rootCause: "",
      lessonsLearned: "",
    });
    const writers = Array.from({ length: WRITERS_PER_KIND }, (_, i) => [
      ingestAuthEvents({ actor: owner }, failures(i)),
      createApi({ actor: owner }, api(i)).then(({ id }) =>
        updateApi({ actor: owner }, id, 1, { ...api(i), purpose: "Updated under load" }),
      ),
      reportIncident({ actor: owner }, incident(i)),
      attemptPasswordSignIn(`nobody-${i}@example.com`, "wrong password", { ip: `10.8.0.${i}`, userAgent: "load" }),
    ]).flat();
    const started = Date.now();
    const results = await Promise.allSettled(writers);
    const seconds = (Date.now() - started) / 1000;
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(seconds).toBeLessThan(15);
    expect(await db.authAlert.count({ where: { keyValue: { startsWith: "attacker-" } } })).toBe(WRITERS_PER_KIND);
    expect(await db.api.count({ where: { purpose: "Updated under load" } })).toBe(WRITERS_PER_KIND);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });

  // Issue 18: writes held one lock for the whole transaction, so four senders ingested no faster than one.
  // Batches now store their events beside each other and queue only for the audit append (their turn).
  it("batches of events store their rows beside each other and wait only for their turn at the chain", async () => {
    const events = (i: number) =>
      Array.from({ length: 200 }, (_, k) => ({
        time: new Date(Date.now() - 10_000 + k).toISOString(),
        api: ledger,
        clientId: `side-${i}`,
        principal: "svc",
        outcome: "success",
        sourceIp: "10.1.1.1",
        method: k % 2 ? "GET" : "POST",
        route: "/ledger/entries",
      }));
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      // Another write's turn, held open: the chain's lock.
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(7311210411)");
      const batches = [0, 1, 2].map((i) => ingestAuthEvents({ actor: owner }, events(i)));
      // Each batch's transaction, waiting for its turn, already holds the lock its inserts into AuthEvent take.
      const waitingWithRows = async () =>
        (
          await holder.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks w
               WHERE w.locktype = 'advisory' AND w.objid = 3016243115 AND NOT w.granted
                 AND EXISTS (SELECT 1 FROM pg_locks r WHERE r.pid = w.pid AND r.granted
                   AND r.relation = '"AuthEvent"'::regclass AND r.mode = 'RowExclusiveLock')`,
          )
        ).rows[0]!.n;
      const deadline = Date.now() + 15_000;
      while ((await waitingWithRows()) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await waitingWithRows()).toBe(3);
      await holder.query("COMMIT");
      const stored = await Promise.all(batches);
      expect(stored.map((s) => s.accepted)).toEqual([200, 200, 200]);
    } finally {
      await holder.end();
    }
    for (const i of [0, 1, 2])
      expect(
        await db.observedAccess.findUniqueOrThrow({
          where: { apiId_clientId: { apiId: ledger, clientId: `side-${i}` } },
        }),
      ).toMatchObject({ calls: 200n, reads: 100n, writes: 100n });
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });

  it("a batch sent again with its Idempotency-Key while the first is running waits for it and answers as it did", async () => {
    const batch = Array.from({ length: 50 }, (_, k) => ({
      time: new Date(Date.now() - 5_000 + k).toISOString(),
      api: ledger,
      clientId: "idem-sender",
      principal: "svc",
      outcome: "success",
      sourceIp: "10.1.1.2",
      method: "GET",
      route: "/ledger/entries",
    }));
    const idempotency = {
      principal: `user:${owner.id}`,
      key: `batch-${Date.now()}`,
      method: "POST",
      route: "/api/v1/events/auth",
      requestHash: "same-body",
    };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        ingestAuthEvents({ actor: owner, idempotency }, batch).then(
          (r) => ({ replayed: false, ...r }),
          (e: unknown) => {
            if (e instanceof IdempotentReplay) return { replayed: true, ...(JSON.parse(e.result) as object) };
            throw e;
          },
        ),
      ),
    );
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(new Set(answers.map((a) => (a as { batchId?: string }).batchId)).size).toBe(1);
    expect(
      await db.observedAccess.findUniqueOrThrow({
        where: { apiId_clientId: { apiId: ledger, clientId: "idem-sender" } },
      }),
    ).toMatchObject({ calls: 50n });
  });
});
