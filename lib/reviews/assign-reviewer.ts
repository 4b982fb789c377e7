import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";

/** An admin reassigns a review. The API's own owner may not be its (sole) reviewer. */
export async function assignReviewer(ctx: WriteContext, reviewId: string, reviewerId: string): Promise<void> {
  requireRolePermission(ctx.actor, "review:manage-campaign");
  await authorizedWrite(ctx, { permission: "review:manage-campaign" }, async (tx, audit) => {
    const review = await tx.review.findUnique({
      where: { id: reviewId },
      include: { api: { select: { ownerId: true } } },
    });
    if (!review) throw new AppError("NOT_FOUND", "That review does not exist.");
    if (review.status === "SIGNED_OFF") throw new AppError("VALIDATION", "A signed-off review keeps its reviewer.");
    const user = await tx.user.findUnique({
      where: { id: reviewerId },
      select: { isActive: true, role: true, email: true },
    });
    if (!user || !user.isActive || user.role === "AUDITOR")
      throw new AppError("VALIDATION", "Choose an active user who is not an auditor.", {
        reviewerId: ["Choose an active user who is not an auditor."],
      });
    if (review.api.ownerId === reviewerId)
      throw new AppError("VALIDATION", "The API's owner cannot be the sole reviewer of their own API.", {
        reviewerId: ["The API's owner cannot review their own API."],
      });
    await tx.review.update({ where: { id: reviewId }, data: { reviewerId, version: { increment: 1 } } });
    await audit({
      action: "review.assign",
      targetType: "review",
      targetId: reviewId,
      summary: `Assigned the review to ${user.email}`,
      before: { reviewerId: review.reviewerId },
      after: { reviewerId },
    });
  });
}
