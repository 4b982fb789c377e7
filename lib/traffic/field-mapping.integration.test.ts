import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { signedInActor, tokenActor } from "@/lib/testing/actors";
import { JSON_MAPPING, jsonRecord } from "@/lib/testing/json-mapping";
import { parseTrafficBatch } from "@/lib/rest/event-batch";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { ingestTraffic } from "@/lib/traffic/ingest-traffic";
import { recordsOf } from "@/lib/traffic/profiles";
import { retryQuarantine } from "@/lib/traffic/quarantine";
import { getSourceMapping, previewFieldMapping, updateSourceMapping } from "@/lib/traffic/source-mapping";

// The "any JSON" format end to end: an admin maps a home-grown gateway's fields, tries the mapping on a
// sample, the gateway sends NDJSON, a wrong mapping quarantines what it cannot read, and once corrected
// the quarantine reads again into events.

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`any-JSON sources on ${provider}`, () => {
    let database: TestDatabase;
    let admin: Actor;
    let payments: { id: string; teamId: string | null };

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      admin = await signedInActor("admin@example.com");
      payments = await db.api.findFirstOrThrow({
        where: { name: "Payments Ledger API" },
        select: { id: true, teamId: true },
      });
    });
    afterAll(async () => database?.drop());

    const register = (name: string, mapping: unknown) =>
      createTrafficSource(
        { actor: admin },
        { name, profile: "json", lenient: true, teamId: payments.teamId, apiId: payments.id, mapping },
      );
    const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n");

    it("a source of the any-JSON format needs a mapping; its calls are read through it and stored", async () => {
      await expect(register("No mapping", null)).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { mapping: [expect.stringMatching(/where the records hold each field/)] },
      });
      await expect(register("Bad mapping", { ...JSON_MAPPING, method: "req..verb" })).rejects.toMatchObject({
        fieldErrors: { "mapping.method": [expect.stringMatching(/a name is missing/)] },
      });
      const { id, secret } = await register("Home-grown gateway", JSON_MAPPING);
      const entry = await db.auditEntry.findFirstOrThrow({ where: { action: "traffic-source.create", targetId: id } });
      expect(JSON.parse(entry.diff)).toMatchObject({ changes: { mapping: { to: { method: "req.verb" } } } });
      const result = await ingestTraffic({ actor: await tokenActor(secret) }, async (profile, mapping) =>
        recordsOf(
          profile,
          await parseTrafficBatch(
            "application/x-ndjson",
            ndjson([jsonRecord({ client: "mapped-a" }), jsonRecord({ client: "mapped-b", code: 403 })]),
          ),
          mapping,
        ),
      );
      expect(result).toMatchObject({ received: 2, stored: 2, quarantined: 0 });
      const events = await db.authEvent.findMany({
        where: { clientId: { startsWith: "mapped-" } },
        orderBy: { clientId: "asc" },
      });
      expect(events.map((e) => [e.clientId, e.outcome, e.apiId])).toEqual([
        ["mapped-a", "success", payments.id],
        ["mapped-b", "authz_denied", payments.id],
      ]);
    });

    it("a wrong mapping quarantines what it cannot read; corrected (audited), the quarantine reads again into events", async () => {
      const { id, secret } = await register("Wrapped gateway", { ...JSON_MAPPING, time: "timestamp" });
      const body = { events: [jsonRecord({ client: "late-a" }), jsonRecord({ client: "late-b" })] };
      // The body wraps its records, which the first mapping does not say either: one unreadable record.
      const first = await ingestTraffic({ actor: await tokenActor(secret) }, (profile, mapping) =>
        recordsOf(profile, body, mapping),
      );
      expect(first).toMatchObject({ received: 1, quarantined: 1 });
      await updateSourceMapping({ actor: admin }, id, { ...JSON_MAPPING, records: "events", time: "timestamp" });
      const second = await ingestTraffic({ actor: await tokenActor(secret) }, (profile, mapping) =>
        recordsOf(profile, body, mapping),
      );
      expect(second).toMatchObject({ received: 2, quarantined: 2 });
      expect((await db.quarantinedRecord.findMany({ where: { sourceId: id } })).map((q) => q.reason)).toContain(
        "no time",
      );
      await updateSourceMapping({ actor: admin }, id, { ...JSON_MAPPING, records: "events" });
      const audit = await db.auditEntry.findMany({
        where: { action: "traffic-source.mapping", targetId: id },
        orderBy: { seq: "asc" },
      });
      expect(audit).toHaveLength(2);
      // Only what changed: the time's path.
      expect(JSON.parse(audit[1]!.diff)).toEqual({
        kind: "update",
        changes: { time: { from: "timestamp", to: "ts" } },
      });
      expect(await getSourceMapping(admin, id)).toMatchObject({ time: "ts", records: "events" });
      // The two records kept on their own read now; the whole body kept as one record still has no time.
      const retried = await retryQuarantine({ actor: admin }, id);
      expect(retried).toMatchObject({ retried: 3, stored: 2, stillQuarantined: 1 });
      expect(await db.authEvent.count({ where: { clientId: { in: ["late-a", "late-b"] } } })).toBe(2);
    });

    it("the preview shows what a mapping reads from a pasted sample and stores nothing; only admins may use it", async () => {
      const before = await db.auditEntry.count();
      const sample = `${JSON.stringify(jsonRecord({ client: "preview-a" }))}\nnot json\n${JSON.stringify({
        ...jsonRecord(),
        ts: "someday",
      })}`;
      const preview = await previewFieldMapping(admin, { mapping: JSON_MAPPING, sample });
      expect(preview.records).toBe(3);
      expect(preview.rows).toEqual([
        { ok: true, fields: expect.objectContaining({ clientId: "preview-a", method: "GET", path: "/v1/payments" }) },
        { ok: false, reason: "line 2 is not valid JSON" },
        { ok: false, reason: "unreadable time “someday”" },
      ]);
      expect(await db.auditEntry.count()).toBe(before);
      expect(await db.authEvent.count({ where: { clientId: "preview-a" } })).toBe(0);
      await expect(
        previewFieldMapping(await signedInActor("manager@example.com"), { mapping: JSON_MAPPING, sample }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        previewFieldMapping(admin, { mapping: JSON_MAPPING, sample: `[${"[".repeat(100)}` }),
      ).rejects.toMatchObject({ fieldErrors: { sample: [expect.stringMatching(/^The sample is/)] } });
    });

    it("a source of another format has no mapping to change", async () => {
      const { id } = await createTrafficSource(
        { actor: admin },
        { name: "Plain NGINX", profile: "nginx", lenient: true, teamId: payments.teamId, apiId: "", mapping: null },
      );
      await expect(updateSourceMapping({ actor: admin }, id, JSON_MAPPING)).rejects.toMatchObject({
        code: "VALIDATION",
        message: expect.stringMatching(/Only a source of the “any JSON” format/),
      });
      expect((await db.trafficSource.findUniqueOrThrow({ where: { id } })).mapping).toBeNull();
    });
  });
}
