import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZAddendum } from "@/lib/reviews/schemas";
import { reviewTarget } from "@/lib/reviews/review-target";

/** A correction to a signed-off review by its reviewer; the signed original is left untouched. */
export async function addAddendum(ctx: WriteContext, reviewId: string, rawInput: unknown): Promise<void> {
  requireRolePermission(ctx.actor, "review:edit");
  const input = parseOrThrow(ZAddendum, rawInput);
  // The target is the review as if unlocked: addenda are the one change allowed after sign-off (and,
  // like every step, not by a reviewer who has since become the API's owner).
  await authorizedWrite(
    ctx,
    { permission: "review:edit", loadTarget: reviewTarget(reviewId, { ignoreLock: true }) },
    async (tx, audit) => {
      const review = await tx.review.findUniqueOrThrow({ where: { id: reviewId }, select: { status: true } });
      if (review.status !== "SIGNED_OFF")
        throw new AppError("VALIDATION", "Addenda are for signed-off reviews; edit the review itself instead.");
      const created = await tx.reviewAddendum.create({ data: { reviewId, authorId: ctx.actor.id, text: input.text } });
      await audit({
        action: "review.addendum",
        targetType: "review",
        targetId: reviewId,
        summary: "Added an addendum to a signed-off review",
        details: { addendumId: created.id, text: input.text },
      });
    },
  );
}
