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

/** A link into the app, absolute when the installation's address is known (NEXTAUTH_URL). */
export function appLink(path: string): string {
  const base = process.env.NEXTAUTH_URL?.trim();
  try {
    return base ? new URL(path, base).toString() : path;
  } catch {
    return path;
  }
}

/**
 * Queues each event for every active webhook subscribed to it, inside the caller's transaction: a
 * delivery exists if and only if the change that caused it committed. Sending happens afterwards
 * (lib/webhooks/deliver.ts), so a slow or failing receiver never holds up or undoes the change. Two
 * reads whatever the number of events (one when there are no webhooks).
 */
export async function queueWebhookEvents(tx: Tx, events: WebhookEvent[], onlyWebhookId?: string): Promise<number> {
  if (!events.length) return 0;
  const hooks = await tx.webhook.findMany({
    where: { active: true, ...(onlyWebhookId ? { id: onlyWebhookId } : {}) },
    select: { id: true, events: true },
  });
  if (!hooks.length) return 0;
  const queued = new Set(
    (
      await tx.webhookDelivery.findMany({
        where: { dedupeKey: { in: events.map((e) => e.dedupeKey) }, webhookId: { in: hooks.map((h) => h.id) } },
        select: { webhookId: true, dedupeKey: true },
      })
    ).map((d) => `${d.webhookId}\u0000${d.dedupeKey}`),
  );
  let created = 0;
  for (const event of events) {
    const payload = webhookPayload(event);
    for (const hook of hooks) {
      if (!onlyWebhookId && !hook.events.split(",").includes(event.type)) continue;
      const key = `${hook.id}\u0000${event.dedupeKey}`;
      if (queued.has(key)) continue;
      queued.add(key);
      await tx.webhookDelivery.create({
        data: { id: newMessageId(), webhookId: hook.id, type: event.type, dedupeKey: event.dedupeKey, payload },
      });
      created++;
    }
  }
  return created;
}

/** One event (see queueWebhookEvents). */
export const queueWebhookEvent = (tx: Tx, event: WebhookEvent, onlyWebhookId?: string) =>
  queueWebhookEvents(tx, [event], onlyWebhookId);
