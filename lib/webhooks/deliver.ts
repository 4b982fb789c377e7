import "server-only";
import { Webhook } from "standardwebhooks";
import { authorizedWrite } from "@/lib/audit/authorized-write";
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

/** One POST, signed per Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256). */
async function post(url: string, secret: string, id: string, payload: string, timeoutMs: number): Promise<Outcome> {
  const at = new Date();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "ApiLedger-Webhooks/1",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(secret).sign(id, at, payload),
      },
      body: payload,
      // A redirect is not followed: the signature is for the URL the admin registered.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => {});
    return { status: response.status, error: response.ok ? "" : `answered ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as Error).name;
    return {
      status: 0,
      error:
        name === "TimeoutError"
          ? `no answer within ${timeoutMs / 1000} s`
          : `not reached: ${NOT_REACHED[cause ?? ""] ?? "network error"} (${cause ?? name})`,
    };
  }
}

/**
 * Sends every queued delivery that is due (the webhook-delivery job, and tests). Each is claimed first
 * with a conditional update, so two processes never send the same attempt; a 2xx answer delivers it, 410
 * Gone turns the webhook off (the receiver asked), anything else is retried on RETRY_SECONDS and failed
 * after MAX_ATTEMPTS. Receivers must still expect a repeat (a process killed between sending and
 * recording): the webhook-id header is the same on every attempt.
 */
export async function deliverDueWebhooks(
  now = new Date(),
  options: { timeoutMs?: number } = {},
): Promise<{ delivered: number; retrying: number; failed: number }> {
  const result = { delivered: 0, retrying: 0, failed: 0 };
  const record = <T>(work: Parameters<typeof authorizedWrite<T>>[2]) =>
    authorizedWrite<T>({ actor: SYSTEM }, { permission: "webhooks:deliver", countsOnly: "webhooks:deliver" }, work);
  await record((tx) =>
    tx.webhookDelivery.updateMany({
      where: { status: "SENDING", claimedAt: { lt: new Date(now.getTime() - LEASE_MS) } },
      data: { status: "PENDING" },
    }),
  );
  const due = await db.webhookDelivery.findMany({
    where: { status: "PENDING", nextAttemptAt: { lte: now }, webhook: { active: true } },
    orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
    take: 100,
    select: { id: true, payload: true, attempts: true, webhook: { select: { id: true, url: true, secret: true } } },
  });
  for (const delivery of due) {
    const claimed = await record((tx) =>
      tx.webhookDelivery.updateMany({
        where: { id: delivery.id, status: "PENDING" },
        data: { status: "SENDING", claimedAt: new Date() },
      }),
    );
    if (claimed.count !== 1) continue;
    const { url, secret } = delivery.webhook;
    const outcome = await post(url, secret, delivery.id, delivery.payload, options.timeoutMs ?? TIMEOUT_MS);
    const attempts = delivery.attempts + 1;
    const delivered = outcome.status >= 200 && outcome.status < 300;
    const gone = outcome.status === 410;
    const failed = !delivered && (gone || attempts >= MAX_ATTEMPTS);
    const wait = RETRY_SECONDS[attempts - 1] ?? 0;
    await record((tx) =>
      tx.webhookDelivery.update({
        where: { id: delivery.id },
        data: {
          status: delivered ? "DELIVERED" : failed ? "FAILED" : "PENDING",
          attempts,
          claimedAt: null,
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
    if (gone) await turnOffGone(delivery.webhook.id, url);
    else if (failed)
      logger().warn({ part: "webhooks", delivery: delivery.id }, `webhook delivery failed: ${outcome.error}`);
  }
  return result;
}

/** The receiver answered 410 Gone: the webhook is turned off, audited, and its queued deliveries wait. */
async function turnOffGone(id: string, url: string): Promise<void> {
  await authorizedWrite({ actor: SYSTEM }, { permission: "webhooks:deliver" }, async (tx, audit) => {
    const hook = await tx.webhook.findUnique({ where: { id }, select: { name: true, active: true } });
    if (!hook?.active) return;
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
