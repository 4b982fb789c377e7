import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { ZTrainingInput } from "@/lib/training/schemas";
import { checkSessionReferences, sessionColumns } from "@/lib/training/session-data";

/** Records a training session that was held, with who attended. */
export async function recordTrainingSession(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "training:manage");
  const input = parseOrThrow(ZTrainingInput, rawInput);
  return authorizedWrite(ctx, { permission: "training:manage" }, async (tx, audit) => {
    const attendeeIds = await checkSessionReferences(tx, input);
    const session = await tx.trainingSession.create({
      data: {
        ...sessionColumns(input),
        createdById: ctx.actor.id,
        attendees: { create: attendeeIds.map((userId) => ({ userId })) },
      },
    });
    await audit({
      action: "training.record",
      targetType: "training",
      targetId: session.id,
      summary: `Training “${input.topic}” on ${input.heldOn} recorded with ${attendeeIds.length} attendee(s)`,
      after: { ...input, attendeeIds },
    });
    return { id: session.id };
  });
}
