import "server-only";
import { z } from "zod";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";
import { ZOptionalDate, toDate } from "@/lib/clients/schemas";
import { reviewTarget } from "@/lib/reviews/review-target";
import { queueNotifications } from "@/lib/notifications/notify";

export const ZNewAction = z
  .object({
    description: z.string().trim().min(1, "Say what has to be done.").max(1000, "At most 1000 characters."),
    ownerId: z.string().trim().min(1, "Choose who will do it.").max(64),
    dueOn: ZOptionalDate("Due date").refine((v) => v !== "", "Give a due date."),
  })
  .strict();

/** The reviewer records a follow-up action (besides those that revoke decisions create at sign-off). */
export async function addReviewAction(ctx: WriteContext, reviewId: string, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "review:edit");
  const input = parseOrThrow(ZNewAction, rawInput);
  return authorizedWrite(ctx, { action: "review:edit", loadTarget: reviewTarget(reviewId) }, async (tx, audit) => {
    const owner = await tx.user.findUnique({ where: { id: input.ownerId }, select: { isActive: true, role: true } });
    if (!owner?.isActive || owner.role === "AUDITOR") throw new AppError("VALIDATION", "Choose an active user who can act on it.", { ownerId: ["Choose an active user who can act on it."] });
    const review = await tx.review.findUniqueOrThrow({ where: { id: reviewId }, select: { api: { select: { name: true } } } });
    const action = await tx.reviewAction.create({ data: { reviewId, description: input.description, ownerId: input.ownerId, dueOn: toDate(input.dueOn) } });
    await queueNotifications(tx, [{ userId: input.ownerId, kind: "action-assigned", text: `New review action on ${review.api.name}: ${input.description}`, link: `/reviews/${reviewId}#actions`, dedupeKey: `action:${action.id}:assigned` }]);
    await audit({ action: "review.action-create", targetType: "review", targetId: reviewId, summary: `Action added: ${input.description}`, details: { actionId: action.id, ownerId: input.ownerId, dueOn: input.dueOn } });
    return { id: action.id };
  });
}
