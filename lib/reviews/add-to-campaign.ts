import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZAddToCampaign } from "@/lib/reviews/schemas";
import { queueNotifications } from "@/lib/notifications/notify";

/** Adds an API the automatic scope left out (e.g. a planned API) to an open campaign, by its exact name. */
export async function addApiToCampaign(
  ctx: WriteContext,
  campaignId: string,
  rawInput: unknown,
): Promise<{ reviewId: string }> {
  requireRolePermission(ctx.actor, "review:manage-campaign");
  const { apiName } = parseOrThrow(ZAddToCampaign, rawInput);
  return authorizedWrite(ctx, { permission: "review:manage-campaign" }, async (tx, audit) => {
    const campaign = await tx.reviewCampaign.findUnique({ where: { id: campaignId } });
    if (!campaign) throw new AppError("NOT_FOUND", "That campaign does not exist.");
    const matches = await tx.api.findMany({
      where: { name: apiName, deletedAt: null },
      select: { id: true, name: true, teamId: true, ownerId: true },
    });
    if (matches.length !== 1) {
      const message = matches.length
        ? `${matches.length} APIs are named “${apiName}”.`
        : `No API is named “${apiName}”.`;
      throw new AppError("VALIDATION", message, { apiName: [message] });
    }
    const api = matches[0]!;
    if (
      await tx.review.findUnique({ where: { campaignId_apiId: { campaignId, apiId: api.id } }, select: { id: true } })
    ) {
      throw new AppError("CONFLICT", `${api.name} is already in the ${campaign.quarter} campaign.`, {
        apiName: [`${api.name} is already in this campaign.`],
      });
    }
    const reviewer = await tx.user.findFirst({
      where: {
        role: "MANAGER",
        isActive: true,
        isServiceAccount: false,
        teamId: api.teamId,
        id: { not: api.ownerId ?? "" },
      },
      orderBy: { name: "asc" },
      select: { id: true },
    });
    const review = await tx.review.create({ data: { campaignId, apiId: api.id, reviewerId: reviewer?.id ?? null } });
    if (reviewer) {
      await queueNotifications(tx, [
        {
          userId: reviewer.id,
          kind: "review-assigned",
          text: `New ${campaign.quarter} access review: ${api.name}, due ${campaign.dueOn.toISOString().slice(0, 10)}`,
          link: `/reviews/${review.id}`,
          dedupeKey: `review:${review.id}:assigned`,
        },
      ]);
    }
    await audit({
      action: "review.create",
      targetType: "review",
      targetId: review.id,
      summary: `Added “${api.name}” to the ${campaign.quarter} campaign by hand`,
      details: { apiId: api.id, reviewerId: reviewer?.id ?? null },
    });
    return { reviewId: review.id };
  });
}
