import "server-only";
import { randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db/client";
import type { WebhookEventType } from "@/lib/webhooks/schemas";

export type WebhookEvent = {
  type: WebhookEventType | "webhook.test";
  /** One delivery per webhook for the same key, however often its cause is seen (an hourly reminder run). */
  dedupeKey: string;
  /** The event's facts: ids, names and links a receiver can act on; nothing secret. */
  data: Record<string, unknown>;
};

/** A Standard Webhooks message id: the same on every attempt, so a receiver can drop a repeat. */
export const newMessageId = () => `msg_${randomBytes(16).toString("hex")}`;

/** The JSON body as signed and sent (the Standard Webhooks payload structure). */
export const webhookPayload = (event: WebhookEvent, at = new Date()) =>
  JSON.stringify({ type: event.type, timestamp: at.toISOString(), data: event.data });

/**
 * Queues the event for every active webhook subscribed to it, inside the caller's transaction: the
 * delivery exists if and only if the change that caused it committed. Sending happens afterwards
 * (lib/webhooks/deliver.ts), so a slow or failing receiver never holds up or undoes the change.
 */
export async function queueWebhookEvent(tx: Tx, event: WebhookEvent, onlyWebhookId?: string): Promise<number> {
  const hooks = (
    await tx.webhook.findMany({
      where: { active: true, ...(onlyWebhookId ? { id: onlyWebhookId } : {}) },
      select: { id: true, events: true },
    })
  ).filter((hook) => onlyWebhookId || hook.events.split(",").includes(event.type));
  if (!hooks.length) return 0;
  const queued = new Set(
    (
      await tx.webhookDelivery.findMany({
        where: { dedupeKey: event.dedupeKey, webhookId: { in: hooks.map((h) => h.id) } },
        select: { webhookId: true },
      })
    ).map((d) => d.webhookId),
  );
  const fresh = hooks.filter((hook) => !queued.has(hook.id));
  const payload = webhookPayload(event);
  for (const hook of fresh)
    await tx.webhookDelivery.create({
      data: { id: newMessageId(), webhookId: hook.id, type: event.type, dedupeKey: event.dedupeKey, payload },
    });
  return fresh.length;
}
