// Outgoing webhooks against a real HTTP receiver that checks every request with the Standard Webhooks
// project's own library: signed alerts, overdue reviews and follow-ups and finished exports, each queued
// in the transaction that caused it and delivered once; retries on the back-off schedule with the same
// message id; 410 Gone turns the webhook off; two senders at once never send the same attempt.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { personActor } from "@/lib/testing/actors";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import {
  createWebhook,
  deleteWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
  setWebhookActive,
} from "@/lib/webhooks/manage-webhooks";
import { MAX_ATTEMPTS, RETRY_SECONDS, deliverDueWebhooks } from "@/lib/webhooks/deliver";
import { listWebhookDeliveries, listWebhooks } from "@/lib/webhooks/queries";
import { parseDeliveryView } from "@/lib/webhooks/list-view";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { runReviewReminders } from "@/lib/reviews/reminders";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { requestEvidenceExport, startExportBuilder } from "@/lib/evidence/export-jobs";
import type { Actor } from "@/lib/authz/policy";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { insertFollowUp } from "@/lib/follow-ups/insert-follow-up";

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A receiver answering each request with the next status of `answers` (then 200), recording what came. */
async function startReceiver() {
  const received: Received[] = [];
  let answers: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = answers.shift() ?? 200;
      res.writeHead(status, status === 302 ? { location: "http://127.0.0.1:9/elsewhere" } : {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/apiledger`,
    received,
    answer: (...statuses: number[]) => (answers = statuses),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The signature computed here by hand (HMAC-SHA256 of id.timestamp.body), independently of the library. */
function signedByHand(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const mac = createHmac("sha256", key)
    .update(`${String(r.headers["webhook-id"])}.${String(r.headers["webhook-timestamp"])}.${r.body}`)
    .digest("base64");
  return String(r.headers["webhook-signature"]) === `v1,${mac}`;
}

/** What a receiver does: verify the signature with the webhook's secret, then read the payload. */
function verified(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, unknown> } {
  const headers = {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  };
  return new Webhook(secret).verify(r.body, headers) as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };
}

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`webhooks on ${provider}`, () => {
    let database: TestDatabase;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let admin: Actor;
    const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

    beforeAll(async () => {
      process.env.APILEDGER_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-webhooks-"));
      database = await useTestDatabase(provider);
      await seedDemo();
      receiver = await startReceiver();
      admin = await personActor("admin@example.com");
    });
    afterAll(async () => {
      delete process.env.APILEDGER_DATA_DIR;
      await receiver?.close();
      await database?.drop();
    });
    beforeEach(async () => {
      receiver.received.length = 0;
      receiver.answer();
      // Each test starts with no webhooks and nothing queued.
      await asDatabaseAdmin(database, [`DELETE FROM "WebhookDelivery"`, `DELETE FROM "Webhook"`]);
    });

    it("signs an alert per Standard Webhooks, queued with the alert and sent once; the secret is in no audit entry", async () => {
      const { id, secret } = await createWebhook(
        { actor: admin },
        { name: "SOC channel", url: receiver.url, events: ["alert.raised"] },
      );
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const entries = await db.auditEntry.findMany({ where: { targetId: id } });
      expect(entries.map((e) => e.action)).toEqual(["webhook.create"]);
      expect(JSON.stringify(entries)).not.toContain(secret.slice(6));
      // Sealed at rest, and the URL's path (a Slack or Teams workflow URL is a bearer secret) is in no entry.
      const stored = await db.webhook.findUniqueOrThrow({ where: { id } });
      expect(stored.secret).toMatch(/^v1:/);
      expect(stored.secret).not.toContain(secret.slice(6, 20));
      expect(JSON.stringify(entries)).not.toContain("/hooks/apiledger");

      const api = await db.api.findFirstOrThrow({ where: { deletedAt: null }, orderBy: { name: "asc" } });
      const failures = (from: string, n: number) =>
        Array.from({ length: n }, (_, i) => ({
          time: new Date(Date.now() - 30_000 - i * 1000).toISOString(),
          api: api.id,
          clientId: from,
          outcome: "authn_failure",
          sourceIp: "10.0.0.7",
          method: "GET",
          route: "/v1/things",
        }));
      await ingestAuthEvents({ actor: admin }, failures("stolen-key", 20));
      expect(await db.webhookDelivery.count()).toBeGreaterThan(0);
      expect(await deliverDueWebhooks()).toMatchObject({ failed: 0, retrying: 0 });
      const alerts = receiver.received.map((r) => verified(secret, r));
      expect(alerts.length).toBeGreaterThan(0);
      const byClient = alerts.find((a) => a.data.clientId === "stolen-key")!;
      expect(byClient).toMatchObject({ type: "alert.raised", data: { apiId: api.id, api: api.name } });
      expect(byClient.data.failures).toBeGreaterThan(15);
      const first = receiver.received[0]!;
      expect(signedByHand(secret, first)).toBe(true);
      expect(Math.abs(Number(first.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
      expect(first.headers["content-type"]).toBe("application/json");
      expect(String(first.headers["webhook-id"])).toMatch(/^msg_[0-9a-f]{32}$/);
      // Another secret, or a body changed on the way, does not verify.
      expect(() => verified(`whsec_${Buffer.alloc(32, 7).toString("base64")}`, first)).toThrow(
        WebhookVerificationError,
      );
      expect(() => verified(secret, { ...first, body: first.body.replace("alert", "alarm") })).toThrow(
        WebhookVerificationError,
      );
      // More failures for the same open alert raise nothing new: nothing more is sent.
      const sent = receiver.received.length;
      await ingestAuthEvents({ actor: admin }, failures("stolen-key", 5));
      await deliverDueWebhooks();
      expect(receiver.received.length).toBe(sent);
      expect(await db.webhookDelivery.count({ where: { status: "DELIVERED" } })).toBe(sent);
      const hooks = await listWebhooks(admin);
      expect(hooks[0]).toMatchObject({
        name: "SOC channel",
        url: receiver.url.replace("/hooks/apiledger", "/…"),
        counts: { delivered: sent, failed: 0 },
      });
      const log = await listWebhookDeliveries(admin, parseDeliveryView({ size: "25" }));
      expect(log.total).toBe(sent);
      expect(log.rows[0]).toMatchObject({ webhook: "SOC channel", type: "alert.raised", status: "DELIVERED" });
      expect(JSON.stringify([hooks, log])).not.toContain(secret);
      expect(JSON.stringify(hooks)).not.toContain("/hooks/apiledger");
    });

    it("retries on the back-off schedule with the same message id, and fails after the last attempt", async () => {
      const { id, secret } = await createWebhook(
        { actor: admin },
        { name: "Flaky", url: receiver.url, events: ["alert.raised"] },
      );
      receiver.answer(500, 503, 302);
      await sendTestWebhook({ actor: admin }, id);
      expect(await deliverDueWebhooks()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
      const row = async () => db.webhookDelivery.findFirstOrThrow({ where: { webhookId: id } });
      expect(await row()).toMatchObject({ status: "PENDING", attempts: 1, lastStatus: 500 });
      // Not due yet: nothing is sent.
      expect(await deliverDueWebhooks()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      const due1 = (await row()).nextAttemptAt.getTime() - Date.now();
      expect(due1).toBeGreaterThan((RETRY_SECONDS[0] - 2) * 1000);
      expect(await deliverDueWebhooks(later(RETRY_SECONDS[0] + 1))).toMatchObject({ retrying: 1 });
      expect(await row()).toMatchObject({ attempts: 2, lastStatus: 503 });
      const due2 = (await row()).nextAttemptAt.getTime() - Date.now();
      expect(Math.abs(due2 - RETRY_SECONDS[1] * 1000)).toBeLessThan(5000);
      // A redirect is not followed: the signature was for the registered URL.
      expect(await deliverDueWebhooks(later(RETRY_SECONDS[1] + 1))).toMatchObject({ retrying: 1 });
      expect(await row()).toMatchObject({ attempts: 3, lastStatus: 302 });
      expect(await deliverDueWebhooks(later(RETRY_SECONDS[2] + 1))).toMatchObject({ delivered: 1 });
      expect(await row()).toMatchObject({ status: "DELIVERED", attempts: 4, lastStatus: 200 });
      const ids = new Set(receiver.received.map((r) => r.headers["webhook-id"]));
      expect(ids.size).toBe(1);
      expect(receiver.received.map((r) => verified(secret, r).type)).toEqual(Array(4).fill("webhook.test"));

      // A receiver that always fails: FAILED after MAX_ATTEMPTS, with the reason.
      receiver.answer(...Array(MAX_ATTEMPTS).fill(500));
      await sendTestWebhook({ actor: admin }, id);
      let at = 0;
      for (let i = 0; i < MAX_ATTEMPTS; i++) {
        await deliverDueWebhooks(later(at));
        at += (RETRY_SECONDS[i] ?? 0) + 1;
      }
      const failed = await db.webhookDelivery.findFirstOrThrow({
        where: { webhookId: id, status: { not: "DELIVERED" } },
      });
      expect(failed).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS, lastError: "answered 500" });
      expect(await deliverDueWebhooks(later(at + 86_400))).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    });

    it("says why a receiver was not reached, and stops at 410 Gone by turning the webhook off (audited)", async () => {
      const closed = await startReceiver();
      await closed.close();
      const unreachable = await createWebhook(
        { actor: admin },
        { name: "Gone away", url: closed.url, events: ["alert.raised"] },
      );
      await sendTestWebhook({ actor: admin }, unreachable.id);
      await deliverDueWebhooks();
      expect(await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: unreachable.id } })).toMatchObject({
        status: "PENDING",
        lastStatus: 0,
        lastError: "not reached: connection refused (ECONNREFUSED)",
      });

      const gone = await createWebhook(
        { actor: admin },
        { name: "Retired", url: receiver.url, events: ["alert.raised"] },
      );
      receiver.answer(410);
      await sendTestWebhook({ actor: admin }, gone.id);
      await sendTestWebhook({ actor: admin }, gone.id);
      expect(await deliverDueWebhooks()).toEqual({ delivered: 0, retrying: 0, failed: 1 });
      // The second was handed back, not sent: it waits for the webhook to be turned on again.
      expect(receiver.received).toHaveLength(1);
      expect(await db.webhookDelivery.count({ where: { webhookId: gone.id, status: "PENDING" } })).toBe(1);
      expect(await db.webhook.findUniqueOrThrow({ where: { id: gone.id } })).toMatchObject({
        active: false,
        disabledReason: "The receiver answered 410 Gone",
      });
      const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: gone.id, action: "webhook.disable" } });
      expect(audit.actorEmail).toBe("webhooks@apiledger");
      await expect(sendTestWebhook({ actor: admin }, gone.id)).rejects.toThrow(/Turn the webhook on first/);
      await setWebhookActive({ actor: admin }, gone.id, true);
      await expect(setWebhookActive({ actor: admin }, gone.id, true)).rejects.toThrow(/already on/);
      await deliverDueWebhooks();
      expect(await db.webhookDelivery.count({ where: { webhookId: gone.id, status: "DELIVERED" } })).toBe(1);
    });

    it("queues overdue reviews and follow-ups with their reminders, and finished exports, each once", async () => {
      const { secret } = await createWebhook(
        { actor: admin },
        { name: "Service desk", url: receiver.url, events: ["review.overdue", "follow-up.overdue", "export.finished"] },
      );
      const { id: campaignId } = await openCampaign({ actor: admin }, { quarter: "2025-Q1", extraApiIds: [] });
      const campaign = await db.reviewCampaign.findUniqueOrThrow({ where: { id: campaignId } });
      const review = await db.review.findFirstOrThrow({ where: { campaignId, reviewerId: { not: null } } });
      const owner = await db.user.findUniqueOrThrow({ where: { email: "owner@example.com" } });
      const followUp = await authorizedWrite({ actor: admin }, { permission: "review:manage-campaign" }, (tx, audit) =>
        insertFollowUp(
          tx,
          audit,
          { reviewId: review.id },
          { description: "Revoke the stale grant", ownerId: owner.id, dueOn: "2025-01-02" },
          { subject: "the review", link: `/reviews/${review.id}` },
        ),
      );
      const after = new Date(campaign.dueOn.getTime() + 86_400_000);
      await runReviewReminders(after);
      await runReviewReminders(after);
      await deliverDueWebhooks();
      const events = receiver.received.map((r) => verified(secret, r));
      const overdueReviews = events.filter((e) => e.type === "review.overdue");
      expect(overdueReviews.length).toBe(
        await db.review.count({ where: { campaignId, reviewerId: { not: null }, status: { not: "SIGNED_OFF" } } }),
      );
      expect(overdueReviews.find((e) => e.data.reviewId === review.id)?.data).toMatchObject({
        quarter: "2025-Q1",
        link: `/reviews/${review.id}`,
      });
      expect(events.filter((e) => e.type === "follow-up.overdue").map((e) => e.data.followUpId)).toEqual([followUp.id]);
      expect(await db.notification.count({ where: { kind: "follow-up-overdue", userId: owner.id } })).toBe(1);

      receiver.received.length = 0;
      const auditor = await personActor("auditor@example.com");
      const { id: exportId } = await requestEvidenceExport(
        { actor: auditor },
        { period: String(new Date().getUTCFullYear()), controls: ["ism-2015"] },
      );
      const builder = startExportBuilder(() => {});
      for (
        let i = 0;
        i < 600 && (await db.evidenceExport.findUniqueOrThrow({ where: { id: exportId } })).status === "QUEUED";
        i++
      )
        await new Promise((r) => setTimeout(r, 50));
      await builder.stop();
      await deliverDueWebhooks();
      const finished = receiver.received.map((r) => verified(secret, r));
      expect(finished).toHaveLength(1);
      const row = await db.evidenceExport.findUniqueOrThrow({ where: { id: exportId } });
      expect(finished[0]).toMatchObject({
        type: "export.finished",
        data: { exportId, status: "DONE", sha256: row.sha256, requestedBy: "auditor@example.com" },
      });
    });

    it("two senders at once send each delivery once", async () => {
      const { id } = await createWebhook(
        { actor: admin },
        { name: "Busy", url: receiver.url, events: ["alert.raised"] },
      );
      for (let i = 0; i < 10; i++) await sendTestWebhook({ actor: admin }, id);
      const [a, b] = await Promise.all([deliverDueWebhooks(), deliverDueWebhooks()]);
      expect(a.delivered + b.delivered).toBe(10);
      expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(10);
      expect(receiver.received).toHaveLength(10);
    });

    it("a replaced secret signs beside the new one for a day, then only the new one signs; removal drops what waits", async () => {
      const { id, secret: old } = await createWebhook(
        { actor: admin },
        { name: "Rotating", url: receiver.url, events: ["alert.raised"] },
      );
      const { secret, previousUntil } = await rotateWebhookSecret({ actor: admin }, id);
      expect(secret).toMatch(/^whsec_/);
      expect(secret).not.toBe(old);
      expect(previousUntil.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
      await sendTestWebhook({ actor: admin }, id);
      await deliverDueWebhooks();
      const during = receiver.received.at(-1)!;
      // Two signatures in the header: a receiver still holding the old secret accepts it, and so does one
      // already changed to the new.
      expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      expect(verified(old, during).type).toBe("webhook.test");
      expect(verified(secret, during).type).toBe("webhook.test");
      // Replaced again within the day (the admin lost the new one before the receiver got it): the original
      // still signs, and so does the one in between, so the receiver verifies whichever it holds.
      const { secret: third } = await rotateWebhookSecret({ actor: admin }, id);
      await sendTestWebhook({ actor: admin }, id);
      await deliverDueWebhooks();
      const twice = receiver.received.at(-1)!;
      expect(String(twice.headers["webhook-signature"]).split(" ")).toHaveLength(3);
      for (const key of [old, secret, third]) expect(verified(key, twice).type).toBe("webhook.test");
      // The day passed (the rotation made a day ago): only the new secret signs.
      await rotateWebhookSecret({ actor: admin }, id, new Date(Date.now() - 25 * 3600_000));
      const latest = (await db.webhook.findUniqueOrThrow({ where: { id } })).previousUntil!;
      expect(latest.getTime()).toBeLessThan(Date.now());
      expect((await listWebhooks(admin))[0]).toMatchObject({ name: "Rotating", previousUntil: null });
      await sendTestWebhook({ actor: admin }, id);
      await deliverDueWebhooks();
      const after = receiver.received.at(-1)!;
      expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
      expect(() => verified(secret, after)).toThrow(WebhookVerificationError);
      expect(() => verified(old, after)).toThrow(WebhookVerificationError);
      expect(() => verified(third, after)).toThrow(WebhookVerificationError);
      // And the run removed the expired secrets from the row (a later copy of the database holds none), on record.
      expect(await db.webhook.findUniqueOrThrow({ where: { id } })).toMatchObject({
        previousSecret: "",
        previousUntil: null,
      });
      expect(await db.auditEntry.count({ where: { action: "webhook.previous-secrets-removed", targetId: id } })).toBe(
        1,
      );
      // No secret in the audit log: the entries say what happened and until when the old one signed.
      const trail = await db.auditEntry.findMany({ where: { targetId: id }, orderBy: { seq: "asc" } });
      expect(trail.map((e) => e.action)).toEqual([
        "webhook.create",
        "webhook.rotate-secret",
        "webhook.test",
        "webhook.rotate-secret",
        "webhook.test",
        "webhook.rotate-secret",
        "webhook.test",
        "webhook.previous-secrets-removed",
      ]);
      expect(JSON.stringify(trail)).not.toContain(secret.slice(6, 30));
      expect(JSON.stringify(trail)).not.toContain(old.slice(6, 30));

      // Removed with a delivery still waiting: it is never sent, and the removal names what it dropped.
      const manager = await personActor("manager@example.com");
      await expect(deleteWebhook({ actor: manager }, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(rotateWebhookSecret({ actor: manager }, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await sendTestWebhook({ actor: admin }, id);
      const sent = receiver.received.length;
      await deleteWebhook({ actor: admin }, id);
      expect(await db.webhook.count({ where: { id } })).toBe(0);
      expect(await db.webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
      await deliverDueWebhooks();
      expect(receiver.received).toHaveLength(sent);
      const removal = await db.auditEntry.findFirstOrThrow({ where: { targetId: id, action: "webhook.delete" } });
      expect(removal.summary).toBe("Webhook “Rotating” removed with 1 deliveries not sent");
      expect(removal.diff).toContain("/…");
      expect(removal.diff).not.toContain("/hooks/apiledger");
      await expect(deleteWebhook({ actor: admin }, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(rotateWebhookSecret({ actor: admin }, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("a webhook removed while a run sends its deliveries gets nothing more from that run", async () => {
      let id = "";
      let calls = 0;
      // The receiver's first answer waits for the admin's removal, as a removal between two sends would land.
      const server = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          calls++;
          void (calls === 1 ? deleteWebhook({ actor: admin }, id) : Promise.resolve()).then(() => res.end());
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const port = (server.address() as { port: number }).port;
        ({ id } = await createWebhook(
          { actor: admin },
          { name: "Going", url: `http://127.0.0.1:${port}/x`, events: ["alert.raised"] },
        ));
        for (let i = 0; i < 3; i++) await sendTestWebhook({ actor: admin }, id);
        await deliverDueWebhooks();
        expect(calls).toBe(1);
        expect(await db.webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it("only admins manage webhooks, and names and URLs are checked", async () => {
      const manager = await personActor("manager@example.com");
      await expect(
        createWebhook({ actor: manager }, { name: "Mine", url: receiver.url, events: ["alert.raised"] }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(listWebhooks(manager)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(listWebhookDeliveries(manager, parseDeliveryView({}))).rejects.toMatchObject({ code: "FORBIDDEN" });
      const refused: [Record<string, unknown>, RegExp][] = [
        [{ name: "SOC\u202ereversed" }, /Name/],
        [{ name: "SOC\0" }, /Name/],
        [{ name: "x".repeat(101) }, /100 characters/],
        [{ url: "http://hooks.agency.example/x" }, /https/],
        [{ url: "javascript:alert(1)" }, /https/],
        [{ url: "https://user:pass@hooks.agency.example/" }, /credentials/],
        [{ url: "https://hooks.agency.example/\u202e" }, /printable ASCII|bidirectional/],
        [{ url: "https://hooks.agency.example/a b" }, /printable ASCII/],
        [{ url: '=HYPERLINK("https://x")' }, /printable ASCII|full URL/],
        [{ url: "https://169.254.169.254/latest/meta-data/" }, /Link-local/],
        [{ url: `https://hooks.agency.example/${"a".repeat(2000)}` }, /2,000 characters/],
        [{ events: [] }, /at least one event/],
        [{ events: ["everything"] }, /Unknown event/],
      ];
      for (const [change, message] of refused) {
        const error = await createWebhook(
          { actor: admin },
          { name: "SOC", url: "https://hooks.agency.example/x", events: ["alert.raised"], ...change },
        ).catch((e: unknown) => e as { code: string; fieldErrors: Record<string, string[]> });
        expect(error, JSON.stringify(change)).toMatchObject({ code: "VALIDATION" });
        expect(
          Object.values((error as { fieldErrors: Record<string, string[]> }).fieldErrors)
            .flat()
            .join(" "),
        ).toMatch(message);
      }
      expect(await db.webhook.count()).toBe(0);
      // The operator's list of receiver hosts, when set, holds at creation and at sending.
      process.env.APILEDGER_WEBHOOK_HOSTS = "hooks.agency.example,*.servicenow.internal";
      try {
        await expect(
          createWebhook(
            { actor: admin },
            { name: "Elsewhere", url: "https://evil.example/x", events: ["alert.raised"] },
          ),
        ).rejects.toMatchObject({ code: "VALIDATION" });
        await createWebhook(
          { actor: admin },
          { name: "Desk", url: "https://agency.servicenow.internal/api/x", events: ["alert.raised"] },
        );
        const local = await createWebhook(
          { actor: admin },
          { name: "Before", url: "https://hooks.agency.example/x", events: ["alert.raised"] },
        );
        process.env.APILEDGER_WEBHOOK_HOSTS = "hooks.other.example";
        await sendTestWebhook({ actor: admin }, local.id);
        expect(await deliverDueWebhooks()).toMatchObject({ failed: 1 });
        expect(await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: local.id } })).toMatchObject({
          status: "FAILED",
          lastError: "the receiver's host is not in APILEDGER_WEBHOOK_HOSTS",
        });
      } finally {
        delete process.env.APILEDGER_WEBHOOK_HOSTS;
      }
    });
  });
}
