// Traffic sources on both databases: a gateway's own records stored through its source's token, bad
// ones quarantined (lenient) or refusing the batch (strict), the counters and the audit entry written
// in the same transaction, and only a source's token and an admin's hand able to do either.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { hashToken } from "@/lib/tokens/token-secret";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { ingestTraffic, NOT_A_SOURCE } from "@/lib/traffic/ingest-traffic";
import { QUARANTINE_BATCH_CHARS, QUARANTINE_RECORD_CHARS } from "@/lib/traffic/read-batch";
import { parseTrafficBatch } from "@/lib/rest/event-batch";
import { recordsOf } from "@/lib/traffic/profiles";
import { deleteApi } from "@/lib/apis/delete-api";
import { triageApprovers } from "@/lib/openapi-scan/triage";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { signedInActor, tokenActor } from "@/lib/testing/actors";
import { purgeQuarantine, retryQuarantine } from "@/lib/traffic/quarantine";
import { getTrafficSource } from "@/lib/traffic/queries";
import { updateUser } from "@/lib/users/update-user";

const actorOf = signedInActor;

const sourceActor = tokenActor;

const secondsAgo = (n: number) => new Date(Date.now() - n * 1000).toISOString();
/** An NGINX JSON access-log line (ngx_http_log_module log_format with escape=json). */
const nginx = (over: Record<string, unknown> = {}) => ({
  time: secondsAgo(30),
  remote_addr: "10.1.2.3",
  request_method: "POST",
  host: "ledger.internal.example",
  uri: "/v1/entries",
  status: 201,
  request_id: "r-1",
  client_id: "gl-reconciliation",
  ...over,
});

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`traffic sources on ${provider}`, () => {
    let database: TestDatabase;
    let admin: Actor, manager: Actor;
    let payments: { id: string; teamId: string | null };
    let identityTeam: string;

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      admin = await actorOf("admin@example.com");
      manager = await actorOf("manager@example.com");
      payments = await db.api.findFirstOrThrow({
        where: { name: "Payments Ledger API" },
        select: { id: true, teamId: true },
      });
      identityTeam = (await db.api.findFirstOrThrow({ where: { name: "Token Service" } })).teamId!;
    });
    afterAll(async () => database?.drop());

    const register = (over: Record<string, unknown> = {}) =>
      createTrafficSource(
        { actor: admin },
        { name: "Edge NGINX", profile: "nginx", lenient: true, teamId: payments.teamId, apiId: payments.id, ...over },
      );

    it("an admin registers a source: its own service account and a team-limited token, shown once, audited", async () => {
      const { id, secret, expiresAt } = await register();
      expect(secret).toMatch(/^apl_/);
      expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
      const source = await db.trafficSource.findUniqueOrThrow({ where: { id } });
      const account = await db.user.findUniqueOrThrow({ where: { id: source.serviceAccountId } });
      expect(account).toMatchObject({
        isServiceAccount: true,
        role: "MANAGER",
        teamId: payments.teamId,
        passwordHash: null,
      });
      const token = await db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(secret) } });
      expect(token).toMatchObject({ userId: account.id, scopes: "events:write", teamId: payments.teamId });
      const entry = await db.auditEntry.findFirstOrThrow({ where: { action: "traffic-source.create", targetId: id } });
      expect(entry.summary).toContain("Edge NGINX");
      expect(entry.summary).not.toContain(secret);

      await expect(register()).rejects.toMatchObject({ fieldErrors: { name: ["A source already has this name."] } });
      await expect(register({ name: "Wrong team", teamId: identityTeam })).rejects.toMatchObject({
        fieldErrors: { apiId: ["Choose one of the team's APIs."] },
      });
      await expect(register({ name: "Unknown", profile: "apache" })).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(
        createTrafficSource(
          { actor: manager },
          { name: "Mine", profile: "nginx", lenient: true, teamId: payments.teamId, apiId: "" },
        ),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("a lenient source stores what it can read and quarantines the rest, with the reason, counted and audited", async () => {
      const { id, secret } = await register({ name: "Lenient edge" });
      const actor = await sourceActor(secret);
      const lines = [
        JSON.stringify(nginx({ request_id: "a1" })),
        JSON.stringify(nginx({ request_id: "a2", status: 401, client_id: "intruder" })),
        JSON.stringify(nginx({ request_id: "a3", status: 403 })),
        "{not json at all",
        JSON.stringify(nginx({ request_id: "a4", request_method: "=HYPERLINK(1)" })),
        JSON.stringify(nginx({ request_id: "a5", uri: "/v1/\u0000entries" })),
        JSON.stringify(nginx({ request_id: "a6", time: undefined })),
        JSON.stringify(nginx({ request_id: "a7", client_id: "\u202egnp.exe" })),
      ].join("\n");
      const before = await db.authEvent.count({ where: { apiId: payments.id } });
      const result = await ingestTraffic({ actor }, async (profile) =>
        recordsOf(profile, await parseTrafficBatch("application/x-ndjson", lines)),
      );
      expect(result).toMatchObject({ received: 8, stored: 3, quarantined: 5, unrouted: 0, skipped: 0 });
      expect(await db.authEvent.count({ where: { apiId: payments.id } })).toBe(before + 3);
      const outcomes = await db.authEvent.findMany({
        where: { apiId: payments.id, clientId: { in: ["gl-reconciliation", "intruder"] } },
        select: { outcome: true, method: true, route: true },
      });
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(["authn_failure", "authz_denied", "success"]);
      expect(outcomes.every((o) => o.method === "POST" && o.route === "/v1/entries")).toBe(true);

      const quarantined = await db.quarantinedRecord.findMany({ where: { sourceId: id }, orderBy: { id: "asc" } });
      expect(quarantined).toHaveLength(5);
      expect(quarantined.map((q) => q.reason).join(" | ")).toMatch(/not valid JSON/);
      // The line that was not JSON is kept as a JSON string of its text; the others as the JSON they were.
      expect(quarantined.some((q) => q.record === '"{not json at all"')).toBe(true);
      expect(quarantined.some((q) => q.record.includes("\\u0000"))).toBe(true);
      expect(quarantined.some((q) => q.record.includes("=HYPERLINK(1)"))).toBe(true);

      const source = await db.trafficSource.findUniqueOrThrow({ where: { id } });
      expect(source).toMatchObject({ received: 8n, stored: 3n, quarantined: 5n, unrouted: 0n });
      expect(source.lastReceivedAt).not.toBeNull();
      const entry = await db.auditEntry.findFirstOrThrow({
        where: { action: "events.ingest", actorId: actor.kind === "user" ? actor.id : "" },
      });
      expect(entry.summary).toMatch(/^From traffic source “Lenient edge”: 3 authentication event/);
      expect(JSON.parse(entry.diff)).toMatchObject({ source: { id, received: 8, quarantined: 5 } });
    });

    it("the quarantine holds what no column may (a raw NUL), and one batch cannot fill it past its budget", async () => {
      const { id, secret } = await register({ name: "Noisy edge" });
      const actor = await sourceActor(secret);
      // A line that is not JSON, with a NUL byte and a bidi override as the shipper sent them.
      const raw = "broken \u0000 line \u202e";
      const lines = [
        raw,
        ...Array.from({ length: 600 }, () => JSON.stringify(nginx({ uri: "", pad: "x".repeat(10_000) }))),
      ];
      const result = await ingestTraffic({ actor }, async (profile) =>
        recordsOf(profile, await parseTrafficBatch("application/x-ndjson", lines.join("\n"))),
      );
      expect(result).toMatchObject({ received: 601, stored: 0, quarantined: 601 });
      const kept = await db.quarantinedRecord.findMany({
        where: { sourceId: id },
        select: { record: true, reason: true },
      });
      expect(kept).toHaveLength(601);
      expect(kept.some((q) => q.record === JSON.stringify(raw))).toBe(true);
      expect(kept.every((q) => q.reason.length > 0)).toBe(true);
      // 4 MB of record text at most (and the one record that crossed it); the rest keep only the reason.
      const chars = kept.reduce((n, q) => n + q.record.length, 0);
      expect(chars).toBeLessThan(QUARANTINE_BATCH_CHARS + QUARANTINE_RECORD_CHARS + 601 * 64);
      expect(kept.filter((q) => q.record.startsWith("(not kept")).length).toBeGreaterThan(150);
    });

    it("credentials in a record are not kept, a time no date can hold is quarantined, and a source's account approves nothing", async () => {
      const { id, secret } = await register({ name: "Kong edge", profile: "kong", apiId: "" });
      const actor = await sourceActor(secret);
      // Kong's http-log object (https://developer.konghq.com/plugins/http-log), its route missing.
      const kong = {
        request: {
          method: "GET",
          uri: "",
          headers: { host: "ledger", authorization: "Bearer s3cr3t-value", apikey: "k3y-value" },
        },
        response: { status: 200 },
        started_at: 1e20,
      };
      const result = await ingestTraffic({ actor }, () => [kong]);
      expect(result).toMatchObject({ received: 1, quarantined: 1 });
      const [kept] = await db.quarantinedRecord.findMany({ where: { sourceId: id } });
      expect(kept!.record).not.toContain("s3cr3t");
      expect(kept!.record).not.toContain("k3y-value");
      expect(kept!.record).toContain('"authorization":"[redacted]"');
      // A source's account is a manager of its team, yet never an approver (nor a reviewer).
      const approvers = await triageApprovers(payments.teamId!, null);
      const accounts = await db.user.findMany({ where: { isServiceAccount: true }, select: { id: true } });
      expect(approvers.some((a) => accounts.some((s) => s.id === a.id))).toBe(false);
      expect(approvers.length).toBeGreaterThan(0);
    });

    it("credentials an OpenTelemetry record carries (http.request.header.*, as {key, value} attributes) are not kept either", async () => {
      const { id, secret } = await register({ name: "Collector", profile: "otlp", apiId: "" });
      const actor = await sourceActor(secret);
      const header = (key: string, value: string) => ({ key, value: { stringValue: value } });
      const body = {
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    // No time: quarantined, and kept as sent but for the credentials.
                    attributes: [
                      header("http.request.method", "GET"),
                      header("url.path", "/v1/payments"),
                      header("http.request.header.authorization", "Bearer otlp-s3cr3t"),
                      header("http.request.header.cookie", "session=c00kie"),
                      header("http.request.header.x-api-key", "otlp-k3y"),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      };
      const result = await ingestTraffic({ actor }, (profile) => recordsOf(profile, body));
      expect(result).toMatchObject({ received: 1, quarantined: 1 });
      const [kept] = await db.quarantinedRecord.findMany({ where: { sourceId: id } });
      for (const secretText of ["otlp-s3cr3t", "c00kie", "otlp-k3y"]) expect(kept!.record).not.toContain(secretText);
      expect(kept!.record).toContain("/v1/payments");
      expect(kept!.record.match(/\[redacted\]/g)).toHaveLength(3);
    });

    it("a strict source refuses a batch with any unreadable record, listing each, and stores nothing", async () => {
      const { id, secret } = await register({ name: "Strict edge", lenient: false });
      const actor = await sourceActor(secret);
      const before = await db.authEvent.count();
      const error = await ingestTraffic({ actor }, () => [nginx(), nginx({ status: 200, uri: "" }), "text"]).catch(
        (e) => e,
      );
      expect(error).toMatchObject({ code: "VALIDATION" });
      expect(error.message).toContain("2 of 3 records could not be read; nothing was stored");
      expect(Object.keys(error.fieldErrors)).toEqual(["records[1]", "records[2]"]);
      expect(await db.authEvent.count()).toBe(before);
      expect(await db.quarantinedRecord.count({ where: { sourceId: id } })).toBe(0);
      expect(await db.trafficSource.findUniqueOrThrow({ where: { id } })).toMatchObject({ received: 0n });
      // A good batch goes in.
      expect(
        await ingestTraffic({ actor }, () => [nginx({ request_id: "s1" }), nginx({ request_id: "s2", status: 401 })]),
      ).toMatchObject({ stored: 2 });
    });

    it("a shipper's retry stores nothing twice, known by the record as sent", async () => {
      const { id, secret } = await register({ name: "Retrying edge" });
      const actor = await sourceActor(secret);
      // Two calls in the same second with no request id (a log_format without $request_id): identical
      // lines, yet two calls.
      const same = JSON.stringify(nginx({ request_id: undefined, time: "2026-12-04T10:00:00+10:00" }));
      const lines = [
        JSON.stringify(nginx({ request_id: "d1" })),
        same,
        same,
        "{broken",
        JSON.stringify(nginx({ request_id: "d2", status: 401 })),
      ];
      const send = () =>
        ingestTraffic({ actor }, async (profile) =>
          recordsOf(profile, await parseTrafficBatch("application/x-ndjson", lines.join("\n"))),
        );
      const before = await db.authEvent.count({ where: { apiId: payments.id } });
      expect(await send()).toMatchObject({ received: 5, stored: 4, quarantined: 1, duplicates: 0 });
      // The answer was lost and the shipper sends the batch again; then once more, twice at once.
      expect(await send()).toMatchObject({ received: 5, stored: 0, quarantined: 0, duplicates: 5 });
      const both = await Promise.all([send(), send()]);
      expect(both.map((r) => r.stored + r.quarantined)).toEqual([0, 0]);
      expect(await db.authEvent.count({ where: { apiId: payments.id } })).toBe(before + 4);
      expect(await db.quarantinedRecord.count({ where: { sourceId: id } })).toBe(1);
      expect(await db.trafficSource.findUniqueOrThrow({ where: { id } })).toMatchObject({
        received: 20n,
        stored: 4n,
        quarantined: 1n,
        duplicates: 15n,
      });

      // A new batch that overlaps the last one stores only what is new, even sent twice at once.
      const next = [JSON.parse(lines[4]!) as unknown, nginx({ request_id: "d3" })];
      const racing = await Promise.all([ingestTraffic({ actor }, () => next), ingestTraffic({ actor }, () => next)]);
      expect(racing.map((r) => r.stored).sort()).toEqual([0, 1]);
      expect(racing.map((r) => r.duplicates).sort()).toEqual([1, 2]);
    });

    it("a request id the caller chose does not make failed attempts look like retries", async () => {
      const { secret } = await register({ name: "Header-trusting edge" });
      const actor = await sourceActor(secret);
      // A gateway that logs the caller's own X-Request-Id: an attacker sends the same one every time.
      const attempt = (second: number) =>
        nginx({ request_id: "fixed", status: 401, client_id: "", time: `2026-12-04T10:00:0${second}+10:00` });
      expect(await ingestTraffic({ actor }, () => [attempt(1), attempt(2), attempt(3)])).toMatchObject({
        stored: 3,
        duplicates: 0,
      });
      expect(await ingestTraffic({ actor }, () => [attempt(4), attempt(5)])).toMatchObject({
        stored: 2,
        duplicates: 0,
      });
    });

    it("an admin reads the quarantine again (what reads now is stored and leaves it) or purges it, each audited", async () => {
      const { id, secret } = await register({ name: "Clock-skewed edge" });
      const actor = await sourceActor(secret);
      // A gateway whose clock ran ten minutes ahead: its records are quarantined as from the future.
      const ahead = new Date(Date.now() + 10 * 60_000).toISOString();
      const sent = await ingestTraffic({ actor }, () => [
        nginx({ request_id: "q1", time: ahead }),
        nginx({ request_id: "q2", uri: "" }),
      ]);
      expect(sent).toMatchObject({ stored: 0, quarantined: 2 });
      // The clock is fixed and the records are now in the past: as if the record had been kept earlier.
      const [skewed] = await db.quarantinedRecord.findMany({ where: { sourceId: id, reason: { contains: "future" } } });
      await asDatabaseAdmin(
        database,
        [
          'UPDATE "QuarantinedRecord" SET "record" = ? WHERE "id" = ?',
          'INSERT INTO "QuarantinedRecord" ("id", "sourceId", "receivedAt", "reason", "record") SELECT ?, "sourceId", "receivedAt", ?, ? FROM "QuarantinedRecord" WHERE "id" = ?',
        ],
        [
          [JSON.stringify(nginx({ request_id: "q1", client_id: "skewed-client" })), skewed!.id],
          ["q-cut", "too large", '{"time": "…… (cut)', skewed!.id],
        ],
      );
      const before = await db.authEvent.count({ where: { apiId: payments.id, clientId: "skewed-client" } });
      await expect(retryQuarantine({ actor: manager }, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(retryQuarantine({ actor: admin }, "no-such-source")).rejects.toMatchObject({ code: "NOT_FOUND" });
      // Two admins at once (or a double click): one reads the records again, the other stores nothing.
      const [a, b] = await Promise.allSettled([
        retryQuarantine({ actor: admin }, id),
        retryQuarantine({ actor: admin }, id),
      ]);
      const done = [a, b].filter((r) => r.status === "fulfilled");
      expect(done).toHaveLength(1);
      expect((done[0] as PromiseFulfilledResult<unknown>).value).toEqual({
        retried: 2,
        stored: 1,
        unrouted: 0,
        stillQuarantined: 1,
      });
      expect([a, b].find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
      expect(await db.authEvent.count({ where: { apiId: payments.id, clientId: "skewed-client" } })).toBe(before + 1);
      const left = await db.quarantinedRecord.findMany({ where: { sourceId: id }, select: { reason: true } });
      // The record kept in part is not read again; it keeps its reason.
      expect(left.map((q) => q.reason).sort()).toEqual([expect.stringMatching(/path/i), "too large"]);
      expect(await db.trafficSource.findUniqueOrThrow({ where: { id } })).toMatchObject({
        stored: 1n,
        quarantined: 1n,
      });
      const retryEntry = await db.auditEntry.findFirstOrThrow({
        where: { action: "events.ingest", actorId: admin.kind === "user" ? admin.id : "" },
        orderBy: { seq: "desc" },
      });
      expect(retryEntry.summary).toMatch(/^Quarantine of traffic source “Clock-skewed edge” read again \(2 record/);
      expect(JSON.parse(retryEntry.diff)).toMatchObject({ readAgain: { ids: [skewed!.id], count: 1 } });

      await expect(purgeQuarantine({ actor: manager }, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await purgeQuarantine({ actor: admin }, id)).toEqual({ purged: 2, left: 0 });
      expect(await db.quarantinedRecord.count({ where: { sourceId: id } })).toBe(0);
      const purge = await db.auditEntry.findFirstOrThrow({
        where: { action: "traffic-source.quarantine-purge", targetId: id },
      });
      expect(purge.summary).toBe("2 quarantined record(s) of traffic source “Clock-skewed edge” purged");
      expect(JSON.parse(purge.diff)).toMatchObject({
        purged: { count: 2, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      await expect(purgeQuarantine({ actor: admin }, id)).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(retryQuarantine({ actor: admin }, id)).rejects.toMatchObject({ code: "VALIDATION" });
      expect(await db.trafficSource.findUniqueOrThrow({ where: { id } })).toMatchObject({ quarantined: 1n });
    });

    it("the list says when a source's account was deactivated (its tokens are then refused)", async () => {
      const { id } = await register({ name: "Deactivated edge" });
      const row = async () => (await getTrafficSource(admin, id))!;
      expect(await row()).toMatchObject({ accountDeactivated: false, tokenExpired: false, inQuarantine: 0 });
      const source = await db.trafficSource.findUniqueOrThrow({ where: { id } });
      const account = await db.user.findUniqueOrThrow({ where: { id: source.serviceAccountId } });
      await updateUser({ actor: admin }, account.id, {
        name: account.name,
        role: account.role,
        teamId: account.teamId ?? "",
        isActive: false,
      });
      expect(await row()).toMatchObject({ accountDeactivated: true });
    });

    it("calls with no API to go to are counted as unrouted, not stored", async () => {
      const { id, secret } = await register({ name: "Shared edge", apiId: "" });
      const result = await ingestTraffic({ actor: await sourceActor(secret) }, () => [
        nginx({ request_id: "u1" }),
        nginx({ request_id: "u2" }),
      ]);
      expect(result).toMatchObject({ received: 2, stored: 0, unrouted: 2 });
      expect(await db.trafficSource.findUniqueOrThrow({ where: { id } })).toMatchObject({ unrouted: 2n });
    });

    it("only a source's token sends records, and a source stops storing for a retired API", async () => {
      const { id, secret } = await register({ name: "Retired edge" });
      // A person's token (events:write) is not a source.
      await expect(ingestTraffic({ actor: await actorOf("owner@example.com") }, () => [nginx()])).rejects.toMatchObject(
        {
          code: "FORBIDDEN",
          message: NOT_A_SOURCE,
        },
      );
      // Its API is retired: the source's records are counted as unrouted, not stored for it.
      await deleteApi({ actor: admin }, payments.id);
      const result = await ingestTraffic({ actor: await sourceActor(secret) }, () => [nginx()]);
      expect(result).toMatchObject({ stored: 0, unrouted: 1 });
      expect(await db.trafficSource.findUniqueOrThrow({ where: { id } })).toMatchObject({ unrouted: 1n });
    });
  });
}
