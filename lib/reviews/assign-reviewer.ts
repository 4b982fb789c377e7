import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { queueNotifications } from "@/lib/notifications/notify";

/** An active person who is not an auditor, or a refusal that names the field. */
async function reviewerOrThrow(tx: Tx, reviewerId: string) {
  const user = await tx.user.findUnique({
    where: { id: reviewerId },
    select: { isActive: true, role: true, email: true },
  });
  if (!user || !user.isActive || user.role === "AUDITOR")
    throw new AppError("VALIDATION", "Choose an active user who is not an auditor.", {
      reviewerId: ["Choose an active user who is not an auditor."],
    });
  return user;
}

type Assigned = { id: string; apiName: string; quarter: string; dueOn: Date };

/** The new reviewer hears of each review in the app (and by e-mail when it is set up). */
const notifyAssigned = (tx: Tx, reviewerId: string, reviews: Assigned[]) =>
  queueNotifications(
    tx,
    reviews.map((r) => ({
      userId: reviewerId,
      kind: "review-assigned",
      text: `New ${r.quarter} access review: ${r.apiName}, due ${r.dueOn.toISOString().slice(0, 10)}`,
      link: `/reviews/${r.id}`,
      dedupeKey: `review:${r.id}:assigned:${reviewerId}`,
    })),
  );

/** An admin reassigns a review. The API's own owner may not be its (sole) reviewer. */
export async function assignReviewer(ctx: WriteContext, reviewId: string, reviewerId: string): Promise<void> {
  requireRolePermission(ctx.actor, "review:manage-campaign");
  await authorizedWrite(ctx, { permission: "review:manage-campaign" }, async (tx, audit) => {
    const review = await tx.review.findUnique({
      where: { id: reviewId },
      include: { api: { select: { ownerId: true, name: true } }, campaign: { select: { quarter: true, dueOn: true } } },
    });
    if (!review) throw new AppError("NOT_FOUND", "That review does not exist.");
    if (review.status === "SIGNED_OFF") throw new AppError("VALIDATION", "A signed-off review keeps its reviewer.");
    const user = await reviewerOrThrow(tx, reviewerId);
    if (review.api.ownerId === reviewerId)
      throw new AppError("VALIDATION", "The API's owner cannot be the sole reviewer of their own API.", {
        reviewerId: ["The API's owner cannot review their own API."],
      });
    await tx.review.update({ where: { id: reviewId }, data: { reviewerId, version: { increment: 1 } } });
    await notifyAssigned(tx, reviewerId, [{ id: reviewId, apiName: review.api.name, ...review.campaign }]);
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

/**
 * An admin gives every review of a campaign that has no reviewer to one person, in one write; the
 * reviews of APIs that person owns are left unassigned (a reviewer never reviews their own API) and
 * counted in the answer.
 */
export async function assignUnassignedReviews(
  ctx: WriteContext,
  campaignId: string,
  reviewerId: string,
): Promise<{ assigned: number; ownApis: string[] }> {
  requireRolePermission(ctx.actor, "review:manage-campaign");
  return authorizedWrite(ctx, { permission: "review:manage-campaign" }, async (tx, audit) => {
    const campaign = await tx.reviewCampaign.findUnique({
      where: { id: campaignId },
      select: { quarter: true, dueOn: true },
    });
    if (!campaign) throw new AppError("NOT_FOUND", "That campaign does not exist.");
    const user = await reviewerOrThrow(tx, reviewerId);
    const open = await tx.review.findMany({
      where: { campaignId, reviewerId: null, status: { not: "SIGNED_OFF" } },
      select: { id: true, api: { select: { name: true, ownerId: true } } },
      orderBy: { id: "asc" },
    });
    if (open.length === 0) throw new AppError("VALIDATION", "Every review of this campaign already has a reviewer.");
    const mine = open.filter((r) => r.api.ownerId !== reviewerId);
    const ownApis = open.filter((r) => r.api.ownerId === reviewerId).map((r) => r.api.name);
    if (mine.length === 0)
      throw new AppError("VALIDATION", "This person owns every unassigned API, so cannot review them.", {
        reviewerId: ["This person owns every unassigned API; choose someone else."],
      });
    // The same reviews as `mine`, by condition rather than a list of ids (SQLite binds at most 999).
    await tx.review.updateMany({
      where: {
        campaignId,
        reviewerId: null,
        status: { not: "SIGNED_OFF" },
        api: { OR: [{ ownerId: null }, { ownerId: { not: reviewerId } }] },
      },
      data: { reviewerId, version: { increment: 1 } },
    });
    await notifyAssigned(
      tx,
      reviewerId,
      mine.map((r) => ({ id: r.id, apiName: r.api.name, ...campaign })),
    );
    await audit(
      mine.map((r) => ({
        action: "review.assign",
        targetType: "review",
        targetId: r.id,
        summary: `Assigned the review of “${r.api.name}” to ${user.email} (with every unassigned review of ${campaign.quarter})`,
        before: { reviewerId: null },
        after: { reviewerId },
      })),
    );
    return { assigned: mine.length, ownApis };
  });
}
