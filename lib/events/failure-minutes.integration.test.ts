import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { signedInActor } from "@/lib/testing/actors";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { failuresWithin } from "@/lib/events/failure-minutes";
import { FAILURES } from "@/lib/events/outcomes";

// Alert windows are summed from failures kept per minute, with the partial minutes at either edge counted
// exactly from the events: the sum must equal a count over the raw events for any window.

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`failures per minute on ${provider}`, () => {
    let database: TestDatabase;
    let ledger: string;
    const now = Date.now();
    // Failures of two keys spread over 40 minutes at odd seconds, some successes between them.
    let seed = 5;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const times = Array.from({ length: 300 }, () => now - Math.floor(rand() * 40 * 60_000) - 1000);

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      ledger = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
      const admin = await signedInActor("admin@example.com");
      const events = times.map((t, i) => ({
        time: new Date(t).toISOString(),
        api: ledger,
        clientId: i % 3 ? "brute" : "slow",
        sourceIp: i % 2 ? "198.51.100.7" : "",
        outcome: i % 10 === 0 ? "success" : i % 2 ? "authn_failure" : "authz_denied",
      }));
      // In three batches, so later ones add to minutes earlier ones began.
      for (let i = 0; i < events.length; i += 100) await ingestAuthEvents({ actor: admin }, events.slice(i, i + 100));
    });
    afterAll(async () => database?.drop());

    const rawCount = (key: { kind: "client" | "source"; value: string }, from: Date, to: Date) =>
      db.authEvent.count({
        where: {
          apiId: ledger,
          outcome: { in: [...FAILURES] },
          at: { gte: from, lte: to },
          ...(key.kind === "client" ? { clientId: key.value } : { sourceIp: key.value }),
        },
      });

    it("a window's sum equals the count over the raw events, whatever its edges and length", async () => {
      const keys = [
        { kind: "client" as const, value: "brute" },
        { kind: "client" as const, value: "slow" },
        { kind: "source" as const, value: "198.51.100.7" },
      ];
      let nonZero = 0;
      for (let trial = 0; trial < 40; trial++) {
        const key = keys[trial % keys.length]!;
        const to = new Date(now - Math.floor(rand() * 30 * 60_000));
        const from = new Date(to.getTime() - (trial % 4 === 0 ? 45_000 : Math.floor(rand() * 25 * 60_000)));
        const summed = await db.$transaction((tx) => failuresWithin(tx, { apiId: ledger, ...key }, from, to, FAILURES));
        const counted = await rawCount(key, from, to);
        expect(summed, `${key.value} ${from.toISOString()}…${to.toISOString()}`).toBe(counted);
        if (counted) nonZero++;
      }
      expect(nonZero).toBeGreaterThan(20);
    });

    it("the migration's backfill from the raw events gives what the batches kept", async () => {
      const order = [
        { apiId: "asc" as const },
        { keyKind: "asc" as const },
        { keyValue: "asc" as const },
        { minute: "asc" as const },
      ];
      const kept = await db.authFailureMinute.findMany({ orderBy: order });
      expect(kept.length).toBeGreaterThan(40);
      const sql = fs.readFileSync(
        `prisma/${provider}/migrations/20261205000500_auth_failure_minutes/migration.sql`,
        "utf8",
      );
      await asDatabaseAdmin(database, ['DELETE FROM "AuthFailureMinute"', sql.slice(sql.indexOf("INSERT INTO"))]);
      expect(await db.authFailureMinute.findMany({ orderBy: order })).toEqual(kept);
    });

    it("minutes older than the longest window are pruned by the next batch", async () => {
      const admin = await signedInActor("admin@example.com");
      const old = new Date(now - 9 * 86_400_000).toISOString();
      await ingestAuthEvents({ actor: admin }, [
        { time: old, api: ledger, clientId: "ancient", outcome: "authn_failure" },
      ]);
      // The batch kept its failure, then pruned everything past 8 days — its own old minute too.
      expect(await db.authFailureMinute.count({ where: { keyValue: "ancient" } })).toBe(0);
      await ingestAuthEvents({ actor: admin }, [
        { time: new Date(now - 60_000).toISOString(), api: ledger, clientId: "recent", outcome: "authn_failure" },
      ]);
      expect(await db.authFailureMinute.count({ where: { keyValue: "recent" } })).toBe(1);
      expect(await db.authFailureMinute.count({ where: { minute: { lt: new Date(now - 8 * 86_400_000) } } })).toBe(0);
    });
  });
}
