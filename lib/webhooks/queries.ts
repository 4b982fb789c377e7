import "server-only";
import { db } from "@/lib/db/client";
import { requirePermission, type Actor } from "@/lib/authz/policy";
import { WEBHOOK_EVENTS, shownUrl, type WebhookEventType } from "@/lib/webhooks/schemas";
import type { DeliveryView } from "@/lib/webhooks/list-view";
import { pageWindow, type TablePage } from "@/lib/tables/table-params";

export type WebhookRow = {
  id: string;
  name: string;
  events: WebhookEventType[];
  active: boolean;
  disabledReason: string;
  createdBy: string;
  createdAt: string;
  /** The receiver's origin only (shownUrl): the path may be a secret. */
  url: string;
  /** Until when the secret replaced by the last rotation still signs too; null when none does. */
  previousUntil: string | null;
  /** Deliveries by status over the log's KEEP_DAYS. */
  counts: { pending: number; delivered: number; failed: number };
};

export type DeliveryRow = {
  id: string;
  webhook: string;
  type: string;
  status: string;
  attempts: number;
  lastStatus: number;
  lastError: string;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
};

/** The webhooks with their delivery counts, for the Settings page (admins). Never the secret. */
export async function listWebhooks(actor: Actor): Promise<WebhookRow[]> {
  requirePermission(actor, "webhooks:manage");
  const [hooks, counts] = await Promise.all([
    db.webhook.findMany({
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        name: true,
        url: true,
        events: true,
        active: true,
        disabledReason: true,
        createdBy: true,
        createdAt: true,
        previousUntil: true,
      },
    }),
    db.webhookDelivery.groupBy({ by: ["webhookId", "status"], _count: { _all: true } }),
  ]);
  const countOf = (id: string, ...statuses: string[]) =>
    counts.filter((c) => c.webhookId === id && statuses.includes(c.status)).reduce((n, c) => n + c._count._all, 0);
  return hooks.map((h) => ({
    ...h,
    url: shownUrl(h.url),
    events: h.events.split(",").filter((e): e is WebhookEventType => e in WEBHOOK_EVENTS),
    createdAt: h.createdAt.toISOString(),
    previousUntil: h.previousUntil && h.previousUntil > new Date() ? h.previousUntil.toISOString() : null,
    counts: {
      pending: countOf(h.id, "PENDING", "SENDING"),
      delivered: countOf(h.id, "DELIVERED"),
      failed: countOf(h.id, "FAILED"),
    },
  }));
}

/** One page of the delivery log, in the order the view names. */
export async function listWebhookDeliveries(actor: Actor, view: DeliveryView): Promise<TablePage<DeliveryRow>> {
  requirePermission(actor, "webhooks:manage");
  const dir = view.desc ? "desc" : "asc";
  const [total, rows] = await Promise.all([
    db.webhookDelivery.count(),
    db.webhookDelivery.findMany({
      orderBy: [{ [view.sort]: dir }, { createdAt: "desc" }, { id: "asc" }],
      ...pageWindow(view),
      select: {
        id: true,
        type: true,
        status: true,
        attempts: true,
        lastStatus: true,
        lastError: true,
        createdAt: true,
        deliveredAt: true,
        nextAttemptAt: true,
        webhook: { select: { name: true } },
      },
    }),
  ]);
  return {
    total,
    rows: rows.map((d) => ({
      id: d.id,
      webhook: d.webhook.name,
      type: d.type,
      status: d.status,
      attempts: d.attempts,
      lastStatus: d.lastStatus,
      lastError: d.lastError,
      createdAt: d.createdAt.toISOString(),
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      nextAttemptAt: d.status === "PENDING" ? d.nextAttemptAt.toISOString() : null,
    })),
  };
}
