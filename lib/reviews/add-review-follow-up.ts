import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { insertFollowUp } from "@/lib/follow-ups/insert-follow-up";
import { ZNewFollowUp } from "@/lib/follow-ups/schemas";
import { reviewTarget } from "@/lib/reviews/review-target";

/** The reviewer records a follow-up (besides those that revoke decisions create at sign-off). */
export async function addReviewFollowUp(
  ctx: WriteContext,
  reviewId: string,
  rawInput: unknown,
): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "review:edit");
  const input = parseOrThrow(ZNewFollowUp, rawInput);
  return authorizedWrite(ctx, { permission: "review:edit", loadTarget: reviewTarget(reviewId) }, async (tx, audit) => {
    const review = await tx.review.findUniqueOrThrow({
      where: { id: reviewId },
      select: { api: { select: { name: true } } },
    });
    return insertFollowUp(tx, audit, { reviewId }, input, {
      subject: `the review of ${review.api.name}`,
      link: `/reviews/${reviewId}#follow-ups`,
    });
  });
}
