import "server-only";
import { z } from "zod";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { toDate } from "@/lib/input/date-input";
import { ZNewAction } from "@/lib/reviews/schemas";
import { reviewTarget } from "@/lib/reviews/review-target";
import { queueNotifications } from "@/lib/notifications/notify";

type Audit = (entry: AuditInput | AuditInput[]) => Promise<void>;

type Parent = { reviewId: string } | { incidentId: string };

/**
 * Records a follow-up action on a review or an incident (the same action tracking serves both), tells
 * its owner, and audits it — inside the caller's authorised transaction.
 */
export async function insertFollowUpAction(
  tx: Tx,
  audit: Audit,
  parent: Parent,
  input: z.infer<typeof ZNewAction>,
  context: { subject: string; link: string },
) {
  const owner = await tx.user.findUnique({ where: { id: input.ownerId }, select: { isActive: true, role: true } });
  if (!owner?.isActive || owner.role === "AUDITOR")
    throw new AppError("VALIDATION", "Choose an active user who can act on it.", {
      ownerId: ["Choose an active user who can act on it."],
    });
  const action = await tx.reviewAction.create({
    data: { ...parent, description: input.description, ownerId: input.ownerId, dueOn: toDate(input.dueOn) },
  });
  await queueNotifications(tx, [
    {
      userId: input.ownerId,
      kind: "action-assigned",
      text: `New action on ${context.subject}: ${input.description}`,
      link: context.link,
      dedupeKey: `action:${action.id}:assigned`,
    },
  ]);
  const isReview = "reviewId" in parent;
  await audit({
    action: isReview ? "review.action-create" : "incident.action-create",
    targetType: isReview ? "review" : "incident",
    targetId: isReview ? parent.reviewId : parent.incidentId,
    summary: `Action added: ${input.description}`,
    details: { actionId: action.id, ownerId: input.ownerId, dueOn: input.dueOn },
  });
  return { id: action.id };
}

/** The reviewer records a follow-up action (besides those that revoke decisions create at sign-off). */
export async function addReviewAction(ctx: WriteContext, reviewId: string, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "review:edit");
  const input = parseOrThrow(ZNewAction, rawInput);
  return authorizedWrite(ctx, { permission: "review:edit", loadTarget: reviewTarget(reviewId) }, async (tx, audit) => {
    const review = await tx.review.findUniqueOrThrow({
      where: { id: reviewId },
      select: { api: { select: { name: true } } },
    });
    return insertFollowUpAction(tx, audit, { reviewId }, input, {
      subject: `the review of ${review.api.name}`,
      link: `/reviews/${reviewId}#actions`,
    });
  });
}
