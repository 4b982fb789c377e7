// Traffic sources' rates on both databases: every batch adds to its source's UTC minute in its own
// transaction (a retry as duplicates, not stored), the list reads the last hour minute by minute, minutes
// past two days are pruned at most once a minute, and only an admin reads the list.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { signedInActor, tokenActor } from "@/lib/testing/actors";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { ingestTraffic } from "@/lib/traffic/ingest-traffic";
import { getTrafficSource, listTrafficSources } from "@/lib/traffic/queries";
import { parseSourceView } from "@/lib/traffic/list-view";
import { retryQuarantine } from "@/lib/traffic/quarantine";
import { minuteOf } from "@/lib/events/failure-minutes";
import { RATE_MINUTES, SOURCE_MINUTE_DAYS } from "@/lib/traffic/source-minutes";

/** An NGINX JSON access-log line, half a minute before the (fake) clock. */
const nginx = (over: Record<string, unknown> = {}) => ({
  time: new Date(Date.now() - 30_000).toISOString(),
  remote_addr: "10.1.2.3",
  request_method: "GET",
  host: "ledger.internal.example",
  uri: "/v1/entries",
  status: 200,
  client_id: "gl-reconciliation",
  ...over,
});

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`source rates on ${provider}`, () => {
    let database: TestDatabase;
    let admin: Actor;
    let payments: { id: string; teamId: string | null };
    // Each database's own minutes: the prune runs once a minute per process, and both run in this one.
    const start = minuteOf(new Date(Date.now() - (provider === "sqlite" ? 300 : 200) * 60_000));
    const at = (minutes: number, seconds = 15) => new Date(start.getTime() + minutes * 60_000 + seconds * 1000);

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      admin = await signedInActor("admin@example.com");
      payments = await db.api.findFirstOrThrow({
        where: { name: "Payments Ledger API" },
        select: { id: true, teamId: true },
      });
    });
    afterEach(() => vi.useRealTimers());
    afterAll(async () => database?.drop());

    const register = async (name: string) => {
      const { id, secret } = await createTrafficSource(
        { actor: admin },
        { name, profile: "nginx", lenient: true, teamId: payments.teamId, apiId: payments.id },
      );
      return { id, actor: await tokenActor(secret) };
    };
    const rowOf = async (id: string) => (await getTrafficSource(admin, id))!;

    it("batches in two minutes show minute by minute and summed over the hour; a retry counts as duplicates", async () => {
      const { id, actor } = await register("Rated edge");
      const quiet = await register("Quiet edge");

      vi.useFakeTimers({ toFake: ["Date"], now: at(0) });
      // Two stored, one without a path quarantined.
      const first = [nginx({ request_id: "m1" }), nginx({ request_id: "m2", status: 401 }), nginx({ uri: "" })];
      expect(await ingestTraffic({ actor }, () => first)).toMatchObject({ received: 3, stored: 2, quarantined: 1 });

      vi.setSystemTime(at(2, 40));
      const second = ["m3", "m4", "m5", "m6"].map((request_id) => nginx({ request_id }));
      expect(await ingestTraffic({ actor }, () => second)).toMatchObject({ received: 4, stored: 4, duplicates: 0 });
      // The shipper lost the answer and sends the same batch again, in the same minute.
      vi.setSystemTime(at(2, 50));
      expect(await ingestTraffic({ actor }, () => second)).toMatchObject({ received: 4, stored: 0, duplicates: 4 });

      const minutes = await db.trafficSourceMinute.findMany({ where: { sourceId: id }, orderBy: { minute: "asc" } });
      expect(minutes).toEqual([
        { sourceId: id, minute: at(0, 0), received: 3, stored: 2, quarantined: 1, duplicates: 0 },
        { sourceId: id, minute: at(2, 0), received: 8, stored: 4, quarantined: 0, duplicates: 4 },
      ]);

      const row = await rowOf(id);
      expect(row.rate.perMinute).toHaveLength(RATE_MINUTES);
      expect(row.rate.perMinute[RATE_MINUTES - 1]).toBe(8);
      expect(row.rate.perMinute[RATE_MINUTES - 3]).toBe(3);
      expect(row.rate.perMinute.reduce((a, b) => a + b, 0)).toBe(11);
      expect(row.rate).toMatchObject({
        receivedLastHour: 11,
        receivedPerMinute: 11 / RATE_MINUTES,
        storedLastHour: 6,
        quarantinedLastHour: 1,
        duplicatesLastHour: 4,
      });
      // The running totals agree with the minutes.
      expect(row).toMatchObject({ received: 11, stored: 6, quarantined: 1, duplicates: 4 });
      expect((await rowOf(quiet.id)).rate).toMatchObject({ receivedLastHour: 0, perMinute: Array(60).fill(0) });

      // An hour after the first batch's minute it has left the window; the second's has not.
      vi.setSystemTime(at(60));
      expect((await rowOf(id)).rate).toMatchObject({ receivedLastHour: 8, storedLastHour: 4, quarantinedLastHour: 0 });
      expect((await rowOf(id)).rate.perMinute[RATE_MINUTES - 59]).toBe(8);
    });

    it("records read again from the quarantine count as stored in the minute they are stored", async () => {
      const { id, actor } = await register("Early clock edge");
      vi.useFakeTimers({ toFake: ["Date"], now: at(10) });
      // A gateway whose clock runs 20 minutes ahead: the record is quarantined ("time is in the future").
      const ahead = nginx({ request_id: "ahead-1", time: at(30).toISOString() });
      expect(await ingestTraffic({ actor }, () => [ahead])).toMatchObject({ received: 1, stored: 0, quarantined: 1 });
      vi.setSystemTime(at(31));
      expect(await retryQuarantine({ actor: admin }, id)).toMatchObject({ retried: 1, stored: 1, stillQuarantined: 0 });
      expect(await db.trafficSourceMinute.findMany({ where: { sourceId: id }, orderBy: { minute: "asc" } })).toEqual([
        { sourceId: id, minute: at(10, 0), received: 1, stored: 0, quarantined: 1, duplicates: 0 },
        { sourceId: id, minute: at(31, 0), received: 0, stored: 1, quarantined: 0, duplicates: 0 },
      ]);
      expect((await rowOf(id)).rate).toMatchObject({ receivedLastHour: 1, storedLastHour: 1, quarantinedLastHour: 1 });
    });

    it(`minutes older than ${SOURCE_MINUTE_DAYS} days are pruned, at most once a minute`, async () => {
      const { id, actor } = await register("Pruned edge");
      const daysAgo = (minute: Date, extraMinutes: number) =>
        new Date(minute.getTime() - SOURCE_MINUTE_DAYS * 86_400_000 - extraMinutes * 60_000);
      // As stored by the app: Prisma keeps SQLite's dates as text ending "+00:00".
      const stored = (d: Date) => (provider === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString());
      const insert = (minute: Date) =>
        asDatabaseAdmin(
          database,
          [
            'INSERT INTO "TrafficSourceMinute" ("sourceId", "minute", "received", "stored", "quarantined", "duplicates") VALUES (?, ?, 1, 1, 0, 0)',
          ],
          [[id, stored(minute)]],
        );
      const kept = async () =>
        (await db.trafficSourceMinute.findMany({ where: { sourceId: id }, orderBy: { minute: "asc" } })).map(
          (m) => m.minute,
        );

      const now = at(100);
      await insert(daysAgo(now, 1));
      await insert(daysAgo(now, 0));
      vi.useFakeTimers({ toFake: ["Date"], now });
      await ingestTraffic({ actor }, () => [nginx({ request_id: "p1" })]);
      // Exactly two days old is kept; a minute more is not.
      expect(await kept()).toEqual([daysAgo(now, 0), minuteOf(now)]);

      // Expired since, but within the same minute: left for the next minute's first batch.
      await insert(daysAgo(now, 5));
      vi.setSystemTime(new Date(now.getTime() + 20_000));
      await ingestTraffic({ actor }, () => [nginx({ request_id: "p2" })]);
      expect(await kept()).toEqual([daysAgo(now, 5), daysAgo(now, 0), minuteOf(now)]);
      vi.setSystemTime(at(101));
      await ingestTraffic({ actor }, () => [nginx({ request_id: "p3" })]);
      expect(await kept()).toEqual([minuteOf(now), at(101, 0)]);
    });

    it("the list is paged and sorted by the database: by name, or the last to send first and silent ones last", async () => {
      const all = await listTrafficSources(admin, parseSourceView({ size: "100" }));
      expect(all.rows.map((s) => s.name)).toEqual(all.rows.map((s) => s.name).toSorted());
      const latest = await listTrafficSources(admin, parseSourceView({ sort: "-lastReceivedAt", size: "100" }));
      const times = latest.rows.map((s) => s.lastReceivedAt);
      const sent = times.filter((t): t is string => t !== null);
      expect(sent).toEqual(sent.toSorted().reverse());
      expect(times.slice(sent.length).every((t) => t === null)).toBe(true);
      expect(latest.total).toBe(all.total);
      // A page past the last: no rows, and still the count of them all.
      const past = await listTrafficSources(admin, parseSourceView({ page: "2" }));
      expect(all.total).toBeLessThan(25);
      expect(past).toEqual({ rows: [], total: all.total });
    });

    it("only an admin reads the sources and their rates", async () => {
      for (const email of ["manager@example.com", "owner@example.com", "auditor@example.com"])
        await expect(listTrafficSources(await signedInActor(email), parseSourceView({}))).rejects.toMatchObject({
          code: "FORBIDDEN",
        });
      await expect(listTrafficSources(null, parseSourceView({}))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
      expect((await listTrafficSources(admin, parseSourceView({}))).total).toBeGreaterThan(0);
    });
  });
}
