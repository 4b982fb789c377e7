import "server-only";
import { randomUUID } from "node:crypto";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { bulkInsert } from "@/lib/audit/bulk-insert";
import { requireRolePermission } from "@/lib/authz/policy";
import { dbProvider } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { getSettings } from "@/lib/settings/queries";
import { parseQuarter } from "@/lib/reviews/quarters";
import { ZOpenCampaign } from "@/lib/reviews/schemas";
import { queueNotifications } from "@/lib/notifications/notify";
import { accessReviewScopeWhere } from "@/lib/reviews/scope";

const newId = () => `r${randomUUID().replace(/-/g, "").slice(0, 24)}`;

/**
 * Opens a quarter's campaign: one review for every API in scope for access review (lib/reviews/scope.ts),
 * plus any added by hand. The default reviewer is a manager of the
 * owning team who is not the API's owner (an owner may not be the sole reviewer of their own API);
 * with no such manager the review waits for an admin to assign one.
 */
export async function openCampaign(
  ctx: WriteContext,
  rawInput: unknown,
): Promise<{ id: string; reviews: number; unassigned: string[] }> {
  requireRolePermission(ctx.actor, "review:manage-campaign");
  const input = parseOrThrow(ZOpenCampaign, rawInput);
  const settings = await getSettings();
  const quarter = parseQuarter(input.quarter, settings.quarterStartMonth, settings.reviewDueDays);
  if (!quarter)
    throw new AppError("VALIDATION", "Write the quarter like 2026-Q4.", {
      quarter: ["Write the quarter like 2026-Q4."],
    });
  return authorizedWrite(ctx, { permission: "review:manage-campaign" }, async (tx, audit) => {
    if (await tx.reviewCampaign.findUnique({ where: { quarter: quarter.label }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A campaign for ${quarter.label} is already open.`, {
        quarter: [`A campaign for ${quarter.label} is already open.`],
      });
    }
    const apis = await tx.api.findMany({
      where: {
        OR: [
          accessReviewScopeWhere(),
          ...(input.extraApiIds.length ? [{ id: { in: input.extraApiIds }, deletedAt: null }] : []),
        ],
      },
      select: { id: true, name: true, teamId: true, ownerId: true },
    });
    const managers = await tx.user.findMany({
      // A service account (a traffic source's) cannot review anything.
      where: { role: "MANAGER", isActive: true, isServiceAccount: false, teamId: { not: null } },
      orderBy: { name: "asc" },
      select: { id: true, teamId: true },
    });
    const campaign = await tx.reviewCampaign.create({
      data: {
        quarter: quarter.label,
        startsOn: quarter.startsOn,
        endsOn: quarter.endsOn,
        dueOn: quarter.dueOn,
        openedById: ctx.actor.id,
      },
    });
    const now = new Date();
    const rows = apis.map((api) => {
      const reviewer = managers.find((m) => m.teamId === api.teamId && m.id !== api.ownerId);
      return {
        id: newId(),
        campaignId: campaign.id,
        apiId: api.id,
        reviewerId: reviewer?.id ?? null,
        status: "NOT_STARTED",
        checklist: "{}",
        decisions: "{}",
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
    });
    await bulkInsert(tx, dbProvider(), "Review", rows);
    await queueNotifications(
      tx,
      rows
        .filter((r) => r.reviewerId)
        .map((r) => ({
          userId: r.reviewerId!,
          kind: "review-assigned",
          text: `New ${quarter.label} access review: ${apis.find((a) => a.id === r.apiId)!.name}, due ${quarter.dueOn.toISOString().slice(0, 10)}`,
          link: `/reviews/${r.id}`,
          dedupeKey: `review:${r.id}:assigned`,
        })),
    );
    await audit([
      {
        action: "review.campaign-open",
        targetType: "review-campaign",
        targetId: campaign.id,
        summary: `Opened the ${quarter.label} access-review campaign (${rows.length} reviews, due ${quarter.dueOn.toISOString().slice(0, 10)})`,
        details: { quarter: quarter.label, reviews: rows.length, dueOn: quarter.dueOn },
      },
      ...rows.map((r, i) => ({
        action: "review.create",
        targetType: "review",
        targetId: r.id,
        summary: `Review of “${apis[i]!.name}” for ${quarter.label}`,
        details: { apiId: r.apiId, reviewerId: r.reviewerId },
      })),
    ]);
    // Said to the admin who opened it: these wait for a reviewer to be assigned.
    const unassigned = rows
      .filter((r) => !r.reviewerId)
      .map((r) => apis.find((a) => a.id === r.apiId)!.name)
      .sort((a, b) => a.localeCompare(b));
    return { id: campaign.id, reviews: rows.length, unassigned };
  });
}
