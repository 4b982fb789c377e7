import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZActionUpdate } from "@/lib/reviews/schemas";

/** The action's owner (or an admin) records progress: done, cancelled or reopened, with a note. */
export async function updateReviewAction(
  ctx: WriteContext,
  actionId: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<void> {
  requireRolePermission(ctx.actor, "review-action:update");
  const input = parseOrThrow(ZActionUpdate, rawInput);
  await authorizedWrite(
    ctx,
    {
      permission: "review-action:update",
      loadTarget: async (tx) => tx.reviewAction.findUnique({ where: { id: actionId }, select: { ownerId: true } }),
    },
    async (tx, audit) => {
      const before = await tx.reviewAction.findUniqueOrThrow({ where: { id: actionId } });
      if (before.version !== expectedVersion)
        throw staleVersion("This action was changed after you opened it. Reload to see the change.");
      const done = input.status !== "OPEN";
      const after = await tx.reviewAction.update({
        where: { id: actionId },
        data: {
          status: input.status,
          completedNote: input.note,
          completedAt: done ? new Date() : null,
          version: { increment: 1 },
        },
      });
      await audit({
        action: "review.action-update",
        targetType: before.reviewId ? "review" : "incident",
        targetId: before.reviewId ?? before.incidentId ?? actionId,
        summary: `Action ${input.status.toLowerCase()}: ${before.description}`,
        before: { status: before.status, completedNote: before.completedNote },
        after: { status: after.status, completedNote: after.completedNote },
      });
    },
  );
}
