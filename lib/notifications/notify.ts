import "server-only";
import type { Tx } from "@/lib/db/client";
import { smtpConfig } from "@/lib/notifications/mailer";

export type NewNotification = { userId: string; kind: string; text: string; link: string; dedupeKey: string };

/**
 * Adds notifications inside the caller's transaction, each at most once (by dedupeKey). When SMTP is
 * configured they are also queued for e-mail; delivery happens after the commit (deliverPendingEmails),
 * so a slow or failing mail server never holds up or undoes the change that caused them.
 */
export async function queueNotifications(tx: Tx, items: NewNotification[]): Promise<number> {
  if (items.length === 0) return 0;
  const existing = new Set(
    (
      await tx.notification.findMany({
        where: { dedupeKey: { in: items.map((i) => i.dedupeKey) } },
        select: { dedupeKey: true },
      })
    ).map((n) => n.dedupeKey),
  );
  const fresh = items.filter(
    (i, index) => !existing.has(i.dedupeKey) && items.findIndex((j) => j.dedupeKey === i.dedupeKey) === index,
  );
  const emailStatus = smtpConfig() ? "PENDING" : "NONE";
  for (let i = 0; i < fresh.length; i += 500)
    await tx.notification.createMany({ data: fresh.slice(i, i + 500).map((n) => ({ ...n, emailStatus })) });
  return fresh.length;
}
