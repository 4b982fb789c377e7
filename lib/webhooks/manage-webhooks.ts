import "server-only";
import { randomBytes } from "node:crypto";
import { newWebhookSecret, PREVIOUS_SECRETS, ROTATION_OVERLAP_HOURS } from "@/lib/webhooks/secret";
import { shownUrl } from "@/lib/webhooks/schemas";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { queueWebhookEvent } from "@/lib/webhooks/events";
import { ZWebhookInput } from "@/lib/webhooks/schemas";

/** The webhook the write is about, read in its transaction; NOT_FOUND when there is none. */
async function webhookOrThrow(tx: Tx, id: string) {
  const hook = await tx.webhook.findUnique({ where: { id } });
  if (!hook) throw new AppError("NOT_FOUND", "No such webhook.");
  return hook;
}

/** Registers a webhook (admins). Returns its secret, which the receiver needs and is not shown again. */
export async function createWebhook(ctx: WriteContext, rawInput: unknown): Promise<{ id: string; secret: string }> {
  const input = parseOrThrow(ZWebhookInput, rawInput);
  const { id, secret, sealed } = newWebhookSecret();
  return authorizedWrite(ctx, { permission: "webhooks:manage" }, async (tx, audit) => {
    await tx.webhook.create({
      data: {
        id,
        name: input.name,
        url: input.url,
        events: input.events.join(","),
        secret: sealed,
        createdBy: ctx.actor.email,
      },
    });
    // Neither the secret nor the URL's path and query (a Slack or Teams workflow URL is itself a bearer
    // secret): the audit log goes to the SIEM and into evidence bundles.
    await audit({
      action: "webhook.create",
      targetType: "webhook",
      targetId: id,
      summary: `Webhook “${input.name}” created for ${input.events.join(", ")}`,
      after: { name: input.name, url: shownUrl(input.url), events: input.events },
    });
    return { id, secret };
  });
}

/** Turns a webhook on or off (admins); an off webhook gets no new deliveries and its queued ones wait. */
export async function setWebhookActive(ctx: WriteContext, id: string, active: boolean): Promise<void> {
  await authorizedWrite(ctx, { permission: "webhooks:manage" }, async (tx, audit) => {
    const hook = await webhookOrThrow(tx, id);
    if (hook.active === active) throw new AppError("CONFLICT", `That webhook is already ${active ? "on" : "off"}.`);
    await tx.webhook.update({
      where: { id },
      data: { active, disabledReason: active ? "" : `Turned off by ${ctx.actor.email}`, version: { increment: 1 } },
    });
    await audit({
      action: active ? "webhook.enable" : "webhook.disable",
      targetType: "webhook",
      targetId: id,
      summary: `Webhook “${hook.name}” turned ${active ? "on" : "off"}`,
      before: { active: hook.active },
      after: { active },
    });
  });
}

/** Queues a `webhook.test` delivery to one webhook, so an admin can see the receiver accept it. */
export async function sendTestWebhook(ctx: WriteContext, id: string): Promise<void> {
  await authorizedWrite(ctx, { permission: "webhooks:manage" }, async (tx, audit) => {
    const hook = await webhookOrThrow(tx, id);
    if (!hook.active) throw new AppError("CONFLICT", "Turn the webhook on first.");
    await queueWebhookEvent(
      tx,
      {
        type: "webhook.test",
        dedupeKey: `test:${randomBytes(8).toString("hex")}`,
        data: { webhook: hook.name, requestedBy: ctx.actor.email },
      },
      id,
    );
    await audit({
      action: "webhook.test",
      targetType: "webhook",
      targetId: id,
      summary: `Test event queued for webhook “${hook.name}”`,
    });
  });
}

/**
 * Gives a webhook a new signing secret (admins), returned once. For ROTATION_OVERLAP_HOURS every delivery
 * is signed with the old secret too (Standard Webhooks allows several signatures in one header), so a
 * receiver keeps accepting events while its configuration is changed; then only the new one signs.
 */
export async function rotateWebhookSecret(
  ctx: WriteContext,
  id: string,
  now = new Date(),
): Promise<{ secret: string; previousUntil: Date }> {
  return authorizedWrite(ctx, { permission: "webhooks:manage" }, async (tx, audit) => {
    const hook = await webhookOrThrow(tx, id);
    const { secret, sealed } = newWebhookSecret(id);
    const previousUntil = new Date(now.getTime() + ROTATION_OVERLAP_HOURS * 3_600_000);
    await tx.webhook.update({
      where: { id },
      data: {
        secret: sealed,
        // Replaced again within the day (the new secret lost before the receiver got it): the secrets still
        // signing keep signing too, so whichever the receiver holds still verifies. Two at most.
        previousSecret: [
          hook.secret,
          ...(hook.previousUntil && hook.previousUntil > now ? hook.previousSecret.split(" ").filter(Boolean) : []),
        ]
          .slice(0, PREVIOUS_SECRETS)
          .join(" "),
        previousUntil,
        version: { increment: 1 },
      },
    });
    await audit({
      action: "webhook.rotate-secret",
      targetType: "webhook",
      targetId: id,
      summary: `Signing secret of webhook “${hook.name}” replaced; the old one also signs until ${previousUntil.toISOString()}`,
      details: { previousUntil: previousUntil.toISOString() },
    });
    return { secret, previousUntil };
  });
}

/** Removes a webhook and its delivery log (admins); its waiting deliveries are not sent. */
export async function deleteWebhook(ctx: WriteContext, id: string): Promise<void> {
  await authorizedWrite(ctx, { permission: "webhooks:manage" }, async (tx, audit) => {
    const hook = await webhookOrThrow(tx, id);
    const waiting = await tx.webhookDelivery.count({
      where: { webhookId: id, status: { in: ["PENDING", "SENDING"] } },
    });
    await tx.webhookDelivery.deleteMany({ where: { webhookId: id } });
    await tx.webhook.delete({ where: { id } });
    await audit({
      action: "webhook.delete",
      targetType: "webhook",
      targetId: id,
      summary: `Webhook “${hook.name}” removed${waiting ? ` with ${waiting} deliveries not sent` : ""}`,
      before: { name: hook.name, url: shownUrl(hook.url), events: hook.events.split(","), active: hook.active },
    });
  });
}
