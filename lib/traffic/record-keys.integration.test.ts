// De-duplication keys on both databases: keys begin with the record's time, are pruned a day after they
// expire, and the keys stored before the upgrade (TrafficRecordKeyV1) still catch a retry until they expire.
// Its own file: the earlier keys are put in before the first batch reads whether any are kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { ingestTraffic } from "@/lib/traffic/ingest-traffic";
import { recordKey } from "@/lib/traffic/read-batch";
import { TRAFFIC_KEY_DAYS } from "@/lib/traffic/record-keys";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { signedInActor, tokenActor } from "@/lib/testing/actors";

const DAY = 86_400_000;
const dayStart = (daysAgo: number) => new Date((Math.floor(Date.now() / DAY) - daysAgo) * DAY);
/** An NGINX JSON access-log line (ngx_http_log_module log_format with escape=json). */
const sent = new Date(Math.floor(Date.now() / 1000) * 1000 - 30_000);
const nginx = (requestId: string, time = sent) => ({
  time: time.toISOString(),
  remote_addr: "10.1.2.3",
  request_method: "GET",
  host: "ledger.internal.example",
  uri: "/v1/entries",
  status: 200,
  request_id: requestId,
  client_id: "gl-reconciliation",
});

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`record keys on ${provider}`, () => {
    let database: TestDatabase;
    let register: (name: string) => Promise<{ id: string; secret: string }>;
    // As stored by the app: Prisma keeps SQLite's dates as text ending "+00:00".
    const stored = (d: Date) => (provider === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d.toISOString());
    const insert = (table: string, rows: [string, string, Date][]) =>
      asDatabaseAdmin(
        database,
        [`INSERT INTO "${table}" ("sourceId", "key", "day") VALUES ${rows.map(() => "(?, ?, ?)").join(", ")}`],
        [rows.flatMap(([sourceId, key, day]) => [sourceId, key, stored(day)])],
      );
    const keysOf = async (sourceId: string) =>
      (await db.trafficRecordKey.findMany({ where: { sourceId }, select: { key: true } })).map((k) => k.key).sort();

    // A record sent just before the upgrade, whose key was kept in the earlier form.
    const retried = nginx("before-upgrade");
    let upgraded: { id: string; secret: string };

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      const admin = await signedInActor("admin@example.com");
      const payments = await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } });
      register = (name) =>
        createTrafficSource(
          { actor: admin },
          { name, profile: "nginx", lenient: true, teamId: payments.teamId, apiId: payments.id },
        );
      upgraded = await register("Edge before the upgrade");
      await insert("TrafficRecordKeyV1", [
        [upgraded.id, recordKey(`0:${JSON.stringify(retried)}`, null).legacy, dayStart(0)],
        [upgraded.id, "f".repeat(32), dayStart(TRAFFIC_KEY_DAYS + 1)],
      ]);
    });
    afterAll(async () => database?.drop());

    it("a retry of a batch sent before the upgrade stores nothing twice; earlier keys that expired are pruned", async () => {
      const actor = await tokenActor(upgraded.secret);
      expect(await ingestTraffic({ actor }, () => [retried, nginx("after-upgrade")])).toMatchObject({
        stored: 1,
        duplicates: 1,
      });
      const left = await db.trafficRecordKeyV1.findMany({ where: { sourceId: upgraded.id }, select: { day: true } });
      expect(left.map((k) => k.day)).toEqual([dayStart(0)]);
      // The new record's key is of the new form, and catches its own retry.
      expect(await keysOf(upgraded.id)).toEqual([expect.stringMatching(/^[0-9a-z]{9}[0-9a-f]{24}$/)]);
      expect(await ingestTraffic({ actor }, () => [nginx("after-upgrade")])).toMatchObject({
        stored: 0,
        duplicates: 1,
      });
    });

    it("a key begins with when its record happened; one that cannot be read has zeros there", async () => {
      const { id, secret } = await register("Edge with a broken line");
      // NGINX's $time_iso8601 has seconds.
      const at = new Date(sent.getTime() - 3_600_000);
      await ingestTraffic({ actor: await tokenActor(secret) }, () => [nginx("timed", at), { status: "broken" }]);
      const keys = await keysOf(id);
      expect(keys).toHaveLength(2);
      expect(keys[0]!.startsWith("000000000")).toBe(true);
      expect(keys[1]!.startsWith(at.getTime().toString(36).padStart(9, "0"))).toBe(true);
    });

    it(`keys are kept ${TRAFFIC_KEY_DAYS} days after the day they arrived, then pruned`, async () => {
      const { id, secret } = await register("Long-lived edge");
      const month = Date.now() - 30 * DAY;
      const key = (ms: number, tail: string) => `${ms.toString(36).padStart(9, "0")}${tail.repeat(24)}`;
      await insert("TrafficRecordKey", [
        // Expired: an old record that arrived long ago, and one that could not be read.
        [id, key(month, "a"), dayStart(TRAFFIC_KEY_DAYS + 1)],
        [id, `000000000${"b".repeat(24)}`, dayStart(TRAFFIC_KEY_DAYS + 1)],
        // Kept: an old record that arrived late (a shipper's backlog), and the last day still kept.
        [id, key(month, "c"), dayStart(1)],
        [id, key(dayStart(TRAFFIC_KEY_DAYS).getTime(), "d"), dayStart(TRAFFIC_KEY_DAYS)],
      ]);
      await ingestTraffic({ actor: await tokenActor(secret) }, () => [nginx("k1")]);
      const keys = await keysOf(id);
      expect(keys).toHaveLength(3);
      const tails = keys.map((k) => k.slice(-24));
      expect(tails).toEqual(expect.arrayContaining(["c".repeat(24), "d".repeat(24)]));
      expect(tails).not.toContain("a".repeat(24));
      expect(tails).not.toContain("b".repeat(24));
    });
  });
}
