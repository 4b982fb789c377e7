import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { IdempotentReplay } from "@/lib/audit/authorized-write";
import type { Actor } from "@/lib/authz/policy";
import { eventOrigin } from "@/lib/events/event-id";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { acknowledgeAlert, setAlertRule } from "@/lib/events/manage-alerts";
import { dailyOutcomes, listAlerts, listAuthEvents, parseEventFilters } from "@/lib/events/queries";
import { observedAccess } from "@/lib/observed/queries";
import { parseEventBatch } from "@/lib/rest/event-batch";
import { personActor } from "@/lib/testing/actors";

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`authentication events on ${provider}`, () => {
    let database: TestDatabase;
    let owner: Actor, auditor: Actor, admin: Actor;
    let ledger: string, identityApi: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      owner = await personActor("owner@example.com");
      auditor = await personActor("auditor@example.com");
      admin = await personActor("admin@example.com");
      ledger = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
      identityApi = (await db.api.findFirstOrThrow({ where: { name: "Token Service" } })).id;
    });
    afterAll(async () => database?.drop());
    const event = (over: Record<string, unknown> = {}) => ({
      time: minutesAgo(1),
      api: ledger,
      clientId: "gl-reconciliation",
      principal: "svc-gl",
      outcome: "success",
      sourceIp: "10.0.0.5",
      method: "post",
      route: "/ledger/entries",
      ...over,
    });

    it("a batch with any bad event is refused whole, with the index and reason of each", async () => {
      const before = await db.authEvent.count();
      const batch = [
        event(),
        event({ outcome: "maybe" }),
        event({ time: "yesterday" }),
        event({ api: "no-such-api" }),
        event({ sourceIp: "999.1.1.1", colour: "red" }),
        event({ time: new Date(Date.now() + 3600_000).toISOString() }),
      ];
      const error = await ingestAuthEvents({ actor: owner }, batch).catch((e) => e);
      expect(error).toMatchObject({ code: "VALIDATION", message: "5 of 6 events are not valid; nothing was stored." });
      expect(error.fieldErrors).toEqual({
        "events[1]": ["outcome must be one of success, authn_failure, authz_denied."],
        "events[2]": ["time must be an ISO 8601 date-time with a zone, e.g. 2026-11-22T09:30:00Z."],
        "events[3]": ["api: no API has the id “no-such-api”."],
        "events[4]": ["sourceIp must be an IPv4 or IPv6 address.", "unknown field: colour"],
        "events[5]": ["time is in the future."],
      });
      await expect(
        ingestAuthEvents({ actor: owner }, [event(), event({ principal: "svc\u0000gl" })]),
      ).rejects.toMatchObject({ fieldErrors: { "events[1]": ["principal contains a NUL character."] } });
      // A lone surrogate would be stored as U+FFFD under a fingerprint of the original; a bidi override
      // would make a route display as another.
      await expect(
        ingestAuthEvents({ actor: owner }, [event({ clientId: "svc-\uD800" }), event({ route: "/pay\u202Eyadot" })]),
      ).rejects.toMatchObject({
        fieldErrors: {
          "events[0]": ["clientId contains an invalid character (a lone UTF-16 surrogate)."],
          "events[1]": [expect.stringMatching(/^route contains a bidirectional control character \(U\+202E\)/)],
        },
      });
      await expect(
        ingestAuthEvents(
          { actor: owner },
          Array.from({ length: 10_001 }, () => event()),
        ),
      ).rejects.toMatchObject({ message: expect.stringMatching(/at most 10,000 events/) });
      await expect(ingestAuthEvents({ actor: auditor }, [event()])).rejects.toMatchObject({ code: "FORBIDDEN" });
      // A Payments owner cannot send events for the Identity team's API.
      await expect(ingestAuthEvents({ actor: owner }, [event(), event({ api: identityApi })])).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await db.authEvent.count()).toBe(before);
      await expect(parseEventBatch("application/x-ndjson", `${JSON.stringify(event())}\n{oops`)).rejects.toThrow(
        "Line 2 is not valid JSON; nothing was stored.",
      );
      await expect(parseEventBatch("text/csv", "a,b")).rejects.toThrow(/application\/json/);
    });

    it("stores an accepted batch in one transaction with one audit entry, moves clients' last seen, and a retry with the same key stores nothing twice", async () => {
      const auditBefore = await db.auditEntry.count();
      const at = new Date(Date.now() - 30_000);
      const batch = await parseEventBatch(
        "application/x-ndjson",
        [
          event({ time: at.toISOString() }),
          event({ clientId: "finance-reporting", outcome: "authz_denied", method: "DELETE" }),
        ]
          .map((e) => JSON.stringify(e))
          .join("\n"),
      );
      const ctx = {
        actor: owner,
        idempotency: {
          principal: "t1",
          key: "batch-1",
          method: "POST",
          route: "/api/v1/events/auth",
          requestHash: "h1",
        },
      };
      const result = await ingestAuthEvents(ctx, batch);
      expect(result.accepted).toBe(2);
      await expect(ingestAuthEvents(ctx, batch)).rejects.toBeInstanceOf(IdempotentReplay);
      // The batch id is in each event's id, and names the batch's audit entry.
      expect(
        (await db.authEvent.findMany({ select: { id: true } })).filter(
          (e) => eventOrigin(e.id)?.batchId === result.batchId,
        ),
      ).toHaveLength(2);
      const entry = await db.auditEntry.findFirstOrThrow({
        where: { action: "events.ingest", targetId: result.batchId },
      });
      // Its fingerprint is of the rows as stored, in id order, so it can be recomputed from an evidence bundle.
      const stored = (await db.authEvent.findMany({ orderBy: { id: "asc" } })).filter(
        (e) => eventOrigin(e.id)?.batchId === result.batchId,
      );
      const rows = stored.map((e) => [
        e.id,
        e.at.toISOString(),
        e.apiId,
        e.clientId,
        e.principal,
        e.outcome,
        e.sourceIp,
        e.method,
        e.route,
      ]);
      expect((JSON.parse(entry.diff) as { sha256: string }).sha256).toBe(
        createHash("sha256").update(JSON.stringify(rows)).digest("hex"),
      );
      expect(await db.auditEntry.count()).toBe(auditBefore + 1);
      const client = await db.apiClient.findFirstOrThrow({ where: { apiId: ledger, name: "gl-reconciliation" } });
      expect(client.lastSeenAt?.getTime()).toBe(at.getTime());
      const page = await listAuthEvents(auditor, ledger, parseEventFilters({ outcome: "authz_denied" }));
      expect(page.data.map((e) => [e.clientId, e.method])).toEqual([["finance-reporting", "DELETE"]]);
      expect(
        (await observedAccess(auditor, ledger)).rows.find((r) => r.clientId === "finance-reporting"),
      ).toMatchObject({
        seen: { lastSuccessAt: null, failures: 1, writes: 1 },
      });
      const today = (await dailyOutcomes(auditor, ledger)).at(-1)!;
      expect(today).toMatchObject({ success: 1, authz_denied: 1, authn_failure: 0 });
      // Every API at once (the dashboard's trend): each day is the sum of the APIs' own counts.
      const withEvents = await db.authEvent.findMany({ distinct: ["apiId"], select: { apiId: true } });
      const perApi = await Promise.all(withEvents.map((a) => dailyOutcomes(auditor, a.apiId)));
      const everywhere = await dailyOutcomes(auditor, null);
      expect(everywhere.at(-1)!.success).toBeGreaterThan(0);
      expect(everywhere).toEqual(
        everywhere.map((d, i) => ({
          day: d.day,
          success: perApi.reduce((n, days) => n + days[i]!.success, 0),
          authn_failure: perApi.reduce((n, days) => n + days[i]!.authn_failure, 0),
          authz_denied: perApi.reduce((n, days) => n + days[i]!.authz_denied, 0),
        })),
      );
    });

    it("pages through events by cursor without repeats", async () => {
      await ingestAuthEvents(
        { actor: owner },
        Array.from({ length: 25 }, (_, i) => event({ time: minutesAgo(100 + i), principal: `p${i}` })),
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listAuthEvents(auditor, ledger, parseEventFilters({ limit: "7", cursor }));
        seen.push(...page.data.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(await db.authEvent.count({ where: { apiId: ledger } }));
    });

    it("raises an alert over the threshold, notifies the owner, and an acknowledged alert is closed with a note", async () => {
      await setAlertRule({ actor: owner }, ledger, { threshold: 5, windowMinutes: 10 });
      const failures = (n: number, source: string) =>
        Array.from({ length: n }, (_, i) =>
          event({ outcome: "authn_failure", clientId: "", sourceIp: source, time: minutesAgo(i % 8) }),
        );
      expect((await ingestAuthEvents({ actor: owner }, failures(5, "203.0.113.9"))).alerts).toBe(0);
      expect((await ingestAuthEvents({ actor: owner }, failures(1, "203.0.113.9"))).alerts).toBe(1);
      // More failures extend the open alert instead of raising another.
      expect((await ingestAuthEvents({ actor: owner }, failures(3, "203.0.113.9"))).alerts).toBe(0);
      const [alert] = await listAlerts(auditor, { apiId: ledger, openOnly: true });
      expect(alert).toMatchObject({ keyKind: "source", keyValue: "203.0.113.9", failures: 9 });
      expect(await db.notification.count({ where: { userId: owner.id!, kind: "auth-alert" } })).toBe(1);
      expect(await db.notification.count({ where: { userId: admin.id!, kind: "auth-alert" } })).toBe(1);
      await expect(acknowledgeAlert({ actor: auditor }, alert!.id, { note: "x" })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(acknowledgeAlert({ actor: owner }, alert!.id, { note: " " })).rejects.toMatchObject({
        fieldErrors: { note: ["Say what was found or done."] },
      });
      await acknowledgeAlert({ actor: owner }, alert!.id, { note: "A misconfigured health check; fixed." });
      expect(await listAlerts(auditor, { apiId: ledger, openOnly: true })).toEqual([]);
      await expect(
        setAlertRule({ actor: owner }, ledger, { threshold: 0, windowMinutes: 99999 }),
      ).rejects.toMatchObject({ code: "VALIDATION" });
    });

    it("counts each key's failures in its own window and against its own API's threshold, also when one batch mixes them", async () => {
      await setAlertRule({ actor: owner }, ledger, { threshold: 3, windowMinutes: 5 });
      await setAlertRule({ actor: admin }, identityApi, { threshold: 6, windowMinutes: 60 });
      const fail = (api: string, clientId: string, minutes: number) =>
        event({ api, outcome: "authn_failure", clientId, sourceIp: "", time: minutesAgo(minutes) });
      const batch = [
        // Ledger, client "spread": 6 failures, but never more than 2 in any 5 minutes: no alert,
        // although 6 sit inside the span that covers the other keys' windows.
        ...[1, 2, 20, 21, 40, 41].map((m) => fail(ledger, "spread", m)),
        // Ledger, client "burst": 4 in 5 minutes, over 3.
        ...[1, 1, 2, 3].map((m) => fail(ledger, "burst", m)),
        // Token Service, client "burst": 5 in an hour, not over its own threshold of 6 (but over the ledger's 3).
        ...[1, 10, 20, 30, 40].map((m) => fail(identityApi, "burst", m)),
      ];
      expect((await ingestAuthEvents({ actor: admin }, batch)).alerts).toBe(1);
      const open = await listAlerts(auditor, { openOnly: true });
      expect(open.map((a) => [a.apiId === ledger ? "ledger" : "token", a.keyKind, a.keyValue, a.failures])).toEqual([
        ["ledger", "client", "burst", 4],
      ]);
      // Two more within the hour take the Token Service's client over 6.
      expect(
        (await ingestAuthEvents({ actor: admin }, [fail(identityApi, "burst", 0), fail(identityApi, "burst", 0)]))
          .alerts,
      ).toBe(1);
    });
  });
}

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`event retention on ${provider}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
    });
    afterAll(async () => database?.drop());

    it("rolls events older than the retention period into daily counts per API, in audited chunks, keeping the totals", async () => {
      const { rollUpOldEvents } = await import("@/lib/events/roll-up");
      const admin = await personActor("admin@example.com");
      const api = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
      const other = (
        await db.api.findFirstOrThrow({ where: { deletedAt: null, id: { not: api } }, orderBy: { name: "asc" } })
      ).id;
      const day = (d: string, outcome: string, clientId = "a", on = api) => ({
        time: `${d}T10:00:00Z`,
        api: on,
        clientId,
        outcome,
      });
      await ingestAuthEvents({ actor: admin }, [
        day("2025-01-02", "success"),
        day("2025-01-02", "success"),
        day("2025-01-02", "authn_failure"),
        day("2025-01-03", "success", "b"),
        day("2026-11-20", "success"),
        day("2025-02-01", "success", "c", other),
        day("2026-11-21", "success", "c", other),
      ]);
      const rollUps = () => db.auditEntry.count({ where: { action: "events.roll-up" } });
      // 400 days before 2026-11-22 is 2025-10-18: the January and February 2025 events go, two at a time.
      expect(await rollUpOldEvents(new Date("2026-11-22T00:00:00Z"), 2)).toBe(5);
      expect(await rollUps()).toBe(3);
      expect(
        (await db.authEvent.findMany({ orderBy: { at: "asc" } })).map((e) => e.at.toISOString().slice(0, 10)),
      ).toEqual(["2026-11-20", "2026-11-21"]);
      const daily = await db.authEventDaily.findMany({ orderBy: [{ day: "asc" }, { outcome: "asc" }] });
      expect(
        daily.map((d) => [
          d.apiId === api ? "api" : "other",
          d.day.toISOString().slice(0, 10),
          d.clientId,
          d.outcome,
          d.count,
        ]),
      ).toEqual([
        ["api", "2025-01-02", "a", "authn_failure", 1],
        ["api", "2025-01-02", "a", "success", 2],
        ["api", "2025-01-03", "b", "success", 1],
        ["other", "2025-02-01", "c", "success", 1],
      ]);
      expect(await rollUpOldEvents(new Date("2026-11-22T00:00:00Z"))).toBe(0);
      expect(await rollUps()).toBe(3);
    });

    // Issue 18: two instances rolled up the same events from a stale read, and 100,000 events became daily
    // counts summing to 190,000. Two roll-ups at once now count every event once between them.
    it("two roll-ups at once (two instances, or an instance and the worker) count every event once", async () => {
      const { rollUpOldEvents } = await import("@/lib/events/roll-up");
      const admin = await personActor("admin@example.com");
      const api = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
      const old = Array.from({ length: 60 }, (_, i) => ({
        time: `2025-03-${String(1 + (i % 9)).padStart(2, "0")}T10:00:${String(i % 60).padStart(2, "0")}Z`,
        api,
        clientId: `twice-${i % 3}`,
        outcome: "success",
      }));
      await ingestAuthEvents({ actor: admin }, old);
      const dailyTotal = async () =>
        (await db.authEventDaily.findMany({ where: { clientId: { startsWith: "twice-" } } })).reduce(
          (sum, d) => sum + d.count,
          0,
        );
      const now = new Date("2026-11-22T00:00:00Z");
      const [a, b] = await Promise.all([rollUpOldEvents(now, 7), rollUpOldEvents(now, 7)]);
      expect(a + b).toBe(60);
      expect(await dailyTotal()).toBe(60);
      expect(await db.authEvent.count({ where: { clientId: { startsWith: "twice-" } } })).toBe(0);
      const entries = await db.auditEntry.findMany({ where: { action: "events.roll-up" }, orderBy: { seq: "asc" } });
      // Each entry says what its own transaction deleted: together, the 60.
      expect(entries.slice(3).reduce((sum, e) => sum + (JSON.parse(e.diff) as { count: number }).count, 0)).toBe(60);
    });
  });
}
