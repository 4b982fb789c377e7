import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZFollowUpUpdate } from "@/lib/follow-ups/schemas";

/** The follow-up's owner (or an admin) records progress: done, cancelled or reopened, with a note. */
export async function updateFollowUp(
  ctx: WriteContext,
  followUpId: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<void> {
  requireRolePermission(ctx.actor, "follow-up:update");
  const input = parseOrThrow(ZFollowUpUpdate, rawInput);
  await authorizedWrite(
    ctx,
    {
      permission: "follow-up:update",
      loadTarget: async (tx) => tx.followUp.findUnique({ where: { id: followUpId }, select: { ownerId: true } }),
    },
    async (tx, audit) => {
      const before = await tx.followUp.findUniqueOrThrow({ where: { id: followUpId } });
      if (before.version !== expectedVersion)
        throw staleVersion("This follow-up was changed after you opened it. Reload to see the change.");
      const done = input.status !== "OPEN";
      const after = await tx.followUp.update({
        where: { id: followUpId },
        data: {
          status: input.status,
          completedNote: input.note,
          completedAt: done ? new Date() : null,
          version: { increment: 1 },
        },
      });
      await audit({
        action: before.reviewId ? "review.follow-up-update" : "incident.follow-up-update",
        targetType: before.reviewId ? "review" : "incident",
        targetId: before.reviewId ?? before.incidentId ?? followUpId,
        summary: `Follow-up ${input.status.toLowerCase()}: ${before.description}`,
        before: { status: before.status, completedNote: before.completedNote },
        after: { status: after.status, completedNote: after.completedNote },
      });
    },
  );
}
