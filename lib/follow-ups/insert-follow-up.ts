import "server-only";
import { z } from "zod";
import type { AuditInput } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { toDate } from "@/lib/input/date-input";
import { ZNewFollowUp } from "@/lib/follow-ups/schemas";
import { queueNotifications } from "@/lib/notifications/notify";

type Audit = (entry: AuditInput | AuditInput[]) => Promise<void>;

/** What a follow-up belongs to: an access review or an incident. */
export type FollowUpParent = { reviewId: string } | { incidentId: string };

/**
 * Records a follow-up on a review or an incident (the same tracking serves both), tells its owner, and
 * audits it — inside the caller's authorised transaction (lib/reviews/add-review-follow-up.ts,
 * lib/incidents/add-incident-follow-up.ts).
 */
export async function insertFollowUp(
  tx: Tx,
  audit: Audit,
  parent: FollowUpParent,
  input: z.infer<typeof ZNewFollowUp>,
  context: { subject: string; link: string },
): Promise<{ id: string }> {
  const owner = await tx.user.findUnique({ where: { id: input.ownerId }, select: { isActive: true, role: true } });
  if (!owner?.isActive || owner.role === "AUDITOR")
    throw new AppError("VALIDATION", "Choose an active user who can act on it.", {
      ownerId: ["Choose an active user who can act on it."],
    });
  const followUp = await tx.followUp.create({
    data: { ...parent, description: input.description, ownerId: input.ownerId, dueOn: toDate(input.dueOn) },
  });
  await queueNotifications(tx, [
    {
      userId: input.ownerId,
      kind: "follow-up-assigned",
      text: `New follow-up on ${context.subject}: ${input.description}`,
      link: context.link,
      dedupeKey: `follow-up:${followUp.id}:assigned`,
    },
  ]);
  const isReview = "reviewId" in parent;
  await audit({
    action: isReview ? "review.follow-up-create" : "incident.follow-up-create",
    targetType: isReview ? "review" : "incident",
    targetId: isReview ? parent.reviewId : parent.incidentId,
    summary: `Follow-up added: ${input.description}`,
    details: { followUpId: followUp.id, ownerId: input.ownerId, dueOn: input.dueOn },
  });
  return { id: followUp.id };
}
