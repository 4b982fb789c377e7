import "server-only";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { queueNotifications, type NewNotification } from "@/lib/notifications/notify";
import { SCHEDULER } from "@/lib/authz/policy";
import { getSettings } from "@/lib/settings/queries";
import { quarterOf } from "@/lib/reviews/quarters";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { appLink, queueWebhookEvents, type WebhookEvent } from "@/lib/webhooks/events";

const WEEK = 7 * 86_400_000;

/**
 * The reminder schedule, run hourly by the review-schedule job and on demand by `npm run reviews:remind`:
 * a week before a review is due, and once it is overdue, its reviewer is reminded (each reminder once);
 * an open follow-up past its due date reminds its owner once. Overdue reviews and follow-ups are also
 * webhook events (review.overdue, follow-up.overdue), queued with the reminder.
 */
export async function runReviewReminders(now = new Date()): Promise<number> {
  const reviews = await db.review.findMany({
    where: {
      status: { not: "SIGNED_OFF" },
      reviewerId: { not: null },
      campaign: { dueOn: { lt: new Date(now.getTime() + WEEK) } },
    },
    select: {
      id: true,
      reviewerId: true,
      api: { select: { name: true } },
      campaign: { select: { quarter: true, dueOn: true } },
    },
  });
  const followUps = await db.followUp.findMany({
    where: { status: "OPEN", ownerId: { not: null }, dueOn: { lt: now } },
    select: {
      id: true,
      ownerId: true,
      description: true,
      dueOn: true,
      reviewId: true,
      incidentId: true,
    },
  });
  const events: WebhookEvent[] = [];
  const items: NewNotification[] = reviews.map((r) => {
    const overdue = r.campaign.dueOn < now;
    const due = r.campaign.dueOn.toISOString().slice(0, 10);
    if (overdue)
      events.push({
        type: "review.overdue",
        dedupeKey: `review:${r.id}:overdue`,
        data: {
          reviewId: r.id,
          api: r.api.name,
          quarter: r.campaign.quarter,
          dueOn: due,
          link: appLink(`/reviews/${r.id}`),
        },
      });
    return {
      userId: r.reviewerId!,
      kind: overdue ? "review-overdue" : "review-due-soon",
      text: overdue
        ? `Overdue: the ${r.campaign.quarter} review of ${r.api.name} was due ${due}`
        : `Due ${due}: the ${r.campaign.quarter} review of ${r.api.name}`,
      link: `/reviews/${r.id}`,
      dedupeKey: `review:${r.id}:${overdue ? "overdue" : "due-soon"}`,
    };
  });
  for (const f of followUps) {
    const due = f.dueOn!.toISOString().slice(0, 10);
    const link = f.reviewId ? `/reviews/${f.reviewId}` : f.incidentId ? `/incidents/${f.incidentId}` : "/follow-ups";
    items.push({
      userId: f.ownerId!,
      kind: "follow-up-overdue",
      text: `Overdue: the follow-up “${f.description.slice(0, 80)}” was due ${due}`,
      link,
      dedupeKey: `follow-up:${f.id}:overdue`,
    });
    events.push({
      type: "follow-up.overdue",
      dedupeKey: `follow-up:${f.id}:overdue`,
      data: { followUpId: f.id, description: f.description.slice(0, 200), dueOn: due, link: appLink(link) },
    });
  }
  // Only open a write when there is something new: the hourly run stays silent in the audit log otherwise.
  const known = new Set(
    (
      await db.notification.findMany({
        where: { dedupeKey: { in: items.map((i) => i.dedupeKey) } },
        select: { dedupeKey: true },
      })
    ).map((n) => n.dedupeKey),
  );
  if (items.every((i) => known.has(i.dedupeKey))) return 0;
  return authorizedWrite({ actor: SCHEDULER }, { permission: "notification:deliver" }, async (tx, audit) => {
    const created = await queueNotifications(tx, items);
    // Only what became overdue now: a webhook added later is not sent every overdue item of the past.
    const hooks = await queueWebhookEvents(
      tx,
      events.filter((e) => !known.has(e.dedupeKey)),
    );
    await audit({
      action: "notification.reminders",
      targetType: "notification",
      targetId: "schedule",
      summary: `Review and follow-up reminders: ${created} new`,
      details: { created, checked: items.length, webhookDeliveries: hooks },
    });
    return created;
  });
}

/** The scheduled opening of a quarter's campaign (when the setting is on and none exists yet). */
export async function openDueCampaign(now = new Date()): Promise<string | null> {
  const settings = await getSettings();
  if (!settings.autoOpenCampaigns) return null;
  const quarter = quarterOf(now, settings.quarterStartMonth, settings.reviewDueDays);
  if (await db.reviewCampaign.findUnique({ where: { quarter: quarter.label }, select: { id: true } })) return null;
  await openCampaign({ actor: SCHEDULER }, { quarter: quarter.label, extraApiIds: [] });
  return quarter.label;
}
