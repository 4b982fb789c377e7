import "server-only";
import { Webhook } from "standardwebhooks";
import { randomUUID } from "node:crypto";
import { authorizedWrite, nothingToWrite } from "@/lib/audit/authorized-write";
import { openSecret } from "@/lib/mfa/factors";
import { sealedFor } from "@/lib/webhooks/secret";
import { hostAllowed } from "@/lib/webhooks/schemas";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

const SYSTEM = { kind: "system" as const, id: null, email: "webhooks@apiledger" };

/**
 * Waits before each retry, after the first attempt (the Standard Webhooks recommendation): 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h — eight attempts over about a day, then the delivery is failed.
 */
export const RETRY_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000] as const;
export const MAX_ATTEMPTS = RETRY_SECONDS.length + 1;
/** A claim older than this is the claimant's that stopped (killed mid-send): the delivery is sent again. */
const LEASE_MS = 120_000;
/** How long a receiver has to answer. */
export const TIMEOUT_MS = 10_000;

type Outcome = { status: number; error: string };

/** Why a receiver was not reached, in words an admin acts on (the code too, for searching). */
const NOT_REACHED: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "name lookup failed",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ETIMEDOUT: "connection timed out",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificate not trusted (give the CA in NODE_EXTRA_CA_CERTS)",
  SELF_SIGNED_CERT_IN_CHAIN: "certificate not trusted (give the CA in NODE_EXTRA_CA_CERTS)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  CERT_HAS_EXPIRED: "certificate expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "certificate is for another name",
};

/**
 * One POST, signed per Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1,
 * HMAC-SHA256), with one signature per secret (the current one first, then the one it replaced while
 * that still signs), space-separated as the specification allows.
 */
async function post(url: string, secrets: string[], id: string, payload: string, timeoutMs: number): Promise<Outcome> {
  const at = new Date();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "ApiLedger-Webhooks/1",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(id, at, payload)).join(" "),
      },
      body: payload,
      // A redirect is not followed: the signature is for the URL the admin registered.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => {});
    return { status: response.status, error: response.ok ? "" : `answered ${response.status}` };
  } catch (error) {
    const { code: cause, message: said } = (error as { cause?: { code?: string; message?: string } }).cause ?? {};
    const name = (error as Error).name;
    return {
      status: 0,
      error:
        name === "TimeoutError"
          ? `no answer within ${timeoutMs / 1000} s`
          : // Without a code, what fetch said (e.g. "bad port": a port fetch never connects to).
            `not reached: ${NOT_REACHED[cause ?? ""] ?? (said?.slice(0, 100) || "network error")} (${cause ?? name})`,
    };
  }
}

/** A run stops claiming after this long, so runs of the 15 s job never overlap a claim's lease. */
const RUN_BUDGET_MS = 50_000;
/** Finished deliveries are kept this long in the log, then removed (checked at most hourly). */
export const KEEP_DAYS = 30;
const pruned = globalThis as unknown as { apiledgerWebhooksPrunedAt?: number };

/**
 * Sends every queued delivery that is due (the webhook-delivery job, and tests). A run claims a page of
 * due deliveries in one conditional write, tagged with its own claim time; only rows still carrying that
 * tag are sent and recorded, so two runs (overlapping processes or a slow run) never send the same
 * attempt or overwrite each other's record. A 2xx answer delivers; 410 Gone turns the webhook off (the
 * receiver asked) and its other deliveries wait; anything else is retried on RETRY_SECONDS and failed
 * after MAX_ATTEMPTS. A receiver that was not reached or timed out is not tried again in the same run,
 * so one dead receiver does not hold up the others. Receivers must still expect a repeat (a process
 * killed between sending and recording): the webhook-id header is the same on every attempt.
 */
export async function deliverDueWebhooks(
  now = new Date(),
  options: { timeoutMs?: number } = {},
): Promise<{ delivered: number; retrying: number; failed: number }> {
  const result = { delivered: 0, retrying: 0, failed: 0 };
  const started = Date.now();
  const record = <T>(work: Parameters<typeof authorizedWrite<T>>[2]) =>
    authorizedWrite<T>({ actor: SYSTEM }, { permission: "webhooks:deliver", countsOnly: "webhooks:deliver" }, work);
  await pruneOldDeliveries(now);
  await forgetExpiredSecrets(now);
  // Claims whose run stopped (killed mid-send) are released; read first, so an idle run writes nothing.
  const lapsed = new Date(now.getTime() - LEASE_MS);
  if (await db.webhookDelivery.count({ where: { status: "SENDING", claimedAt: { lt: lapsed } } }))
    await record((tx) =>
      tx.webhookDelivery.updateMany({
        where: { status: "SENDING", claimedAt: { lt: lapsed } },
        data: { status: "PENDING", claimedAt: null, claimToken: "" },
      }),
    );
  const skipped = new Set<string>();
  while (Date.now() - started < RUN_BUDGET_MS) {
    const due = { status: "PENDING", nextAttemptAt: { lte: now }, webhook: { active: true } } as const;
    const ids = (
      await db.webhookDelivery.findMany({
        where: { ...due, webhookId: { notIn: [...skipped] } },
        orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
        take: 20,
        select: { id: true },
      })
    ).map((d) => d.id);
    if (!ids.length) break;
    // A claim tag no other run has.
    const claimedAt = new Date();
    const tag = randomUUID();
    await record((tx) =>
      tx.webhookDelivery.updateMany({
        where: { id: { in: ids }, ...due },
        data: { status: "SENDING", claimedAt, claimToken: tag },
      }),
    );
    const mine = await db.webhookDelivery.findMany({
      where: { id: { in: ids }, status: "SENDING", claimToken: tag },
      orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
      select: {
        id: true,
        payload: true,
        attempts: true,
        webhookId: true,
      },
    });
    if (!mine.length) break;
    for (const delivery of mine) {
      const stillMine = { id: delivery.id, status: "SENDING", claimToken: tag };
      // Read for each send, not with the claim: a webhook removed, turned off or given a new secret while
      // this run sends its other deliveries is honoured at once.
      const hook = await db.webhook.findUnique({
        where: { id: delivery.webhookId },
        select: { id: true, url: true, secret: true, previousSecret: true, previousUntil: true, active: true },
      });
      if (!hook) continue; // removed, with its deliveries
      if (!hook.active || skipped.has(hook.id) || Date.now() - started > RUN_BUDGET_MS) {
        // Handed back untried: turned off meanwhile, another delivery to this receiver found it unreachable,
        // or the run is out of time.
        await record((tx) =>
          tx.webhookDelivery.updateMany({
            where: stillMine,
            data: { status: "PENDING", claimedAt: null, claimToken: "" },
          }),
        );
        continue;
      }
      const secret = openSecret(hook.secret, sealedFor(hook.id));
      const previous =
        hook.previousUntil && hook.previousUntil > new Date()
          ? hook.previousSecret
              .split(" ")
              .filter(Boolean)
              .map((sealed) => openSecret(sealed, sealedFor(hook.id)))
              .filter((s): s is string => !!s)
          : [];
      const allowed = hostAllowed(hook.url);
      const outcome: Outcome = !allowed
        ? { status: 0, error: "the receiver's host is not in APILEDGER_WEBHOOK_HOSTS" }
        : secret
          ? await post(hook.url, [secret, ...previous], delivery.id, delivery.payload, options.timeoutMs ?? TIMEOUT_MS)
          : { status: 0, error: "the signing secret cannot be read (NEXTAUTH_SECRET changed?): add the webhook again" };
      const attempts = delivery.attempts + 1;
      const delivered = outcome.status >= 200 && outcome.status < 300;
      const gone = outcome.status === 410;
      const failed = !delivered && (gone || !secret || !allowed || attempts >= MAX_ATTEMPTS);
      const wait = RETRY_SECONDS[attempts - 1] ?? 0;
      await record((tx) =>
        tx.webhookDelivery.updateMany({
          where: stillMine,
          data: {
            status: delivered ? "DELIVERED" : failed ? "FAILED" : "PENDING",
            attempts,
            claimedAt: null,
            claimToken: "",
            lastStatus: outcome.status,
            lastError: outcome.error,
            ...(delivered ? { deliveredAt: new Date() } : {}),
            ...(!delivered && !failed ? { nextAttemptAt: new Date(Date.now() + wait * 1000) } : {}),
          },
        }),
      );
      if (delivered) result.delivered++;
      else if (failed) result.failed++;
      else result.retrying++;
      if (outcome.status === 0) skipped.add(hook.id);
      if (gone) {
        skipped.add(hook.id);
        await turnOffGone(hook.id, hook.url);
      } else if (failed)
        logger().warn({ part: "webhooks", delivery: delivery.id }, `webhook delivery failed: ${outcome.error}`);
    }
  }
  return result;
}

/** Removes delivered and failed deliveries older than KEEP_DAYS (at most once an hour per process). */
async function pruneOldDeliveries(now: Date): Promise<void> {
  if (pruned.apiledgerWebhooksPrunedAt && now.getTime() - pruned.apiledgerWebhooksPrunedAt < 3_600_000) return;
  pruned.apiledgerWebhooksPrunedAt = now.getTime();
  const where = {
    status: { in: ["DELIVERED", "FAILED"] },
    createdAt: { lt: new Date(now.getTime() - KEEP_DAYS * 86_400_000) },
  };
  if (!(await db.webhookDelivery.count({ where }))) return;
  // Removing rows of the delivery log is itself recorded, in the same transaction.
  await authorizedWrite({ actor: SYSTEM }, { permission: "webhooks:deliver" }, async (tx, audit) => {
    const { count } = await tx.webhookDelivery.deleteMany({ where });
    if (!count) return nothingToWrite(undefined);
    await audit({
      action: "webhook.deliveries-pruned",
      targetType: "webhook",
      targetId: "delivery-log",
      summary: `${count} webhook deliveries older than ${KEEP_DAYS} days removed from the log`,
      details: { removed: count, keepDays: KEEP_DAYS },
    });
  });
}

/**
 * Secrets replaced more than the overlap ago sign nothing any more (see the send below); they are also
 * removed from the row, so a copy of the database taken later holds no secret a receiver might still trust.
 */
async function forgetExpiredSecrets(now: Date): Promise<void> {
  const where = { previousSecret: { not: "" }, previousUntil: { lte: now } };
  if (!(await db.webhook.count({ where }))) return;
  await authorizedWrite({ actor: SYSTEM }, { permission: "webhooks:deliver" }, async (tx, audit) => {
    const hooks = await tx.webhook.findMany({ where, select: { id: true, name: true } });
    if (!hooks.length) return nothingToWrite(undefined);
    await tx.webhook.updateMany({
      where: { ...where, id: { in: hooks.map((h) => h.id) } },
      data: { previousSecret: "", previousUntil: null },
    });
    for (const hook of hooks)
      await audit({
        action: "webhook.previous-secrets-removed",
        targetType: "webhook",
        targetId: hook.id,
        summary: `Webhook “${hook.name}”: the replaced signing secrets, past their overlap, were removed`,
        details: {},
      });
  });
}

/** The receiver answered 410 Gone: the webhook is turned off, audited, and its queued deliveries wait. */
async function turnOffGone(id: string, url: string): Promise<void> {
  await authorizedWrite({ actor: SYSTEM }, { permission: "webhooks:deliver" }, async (tx, audit) => {
    const hook = await tx.webhook.findUnique({ where: { id }, select: { name: true, active: true } });
    if (!hook?.active) return nothingToWrite(undefined);
    await tx.webhook.update({
      where: { id },
      data: { active: false, disabledReason: `The receiver answered 410 Gone`, version: { increment: 1 } },
    });
    await audit({
      action: "webhook.disable",
      targetType: "webhook",
      targetId: id,
      summary: `Webhook “${hook.name}” turned off: ${new URL(url).host} answered 410 Gone`,
      before: { active: true },
      after: { active: false },
    });
  });
}
