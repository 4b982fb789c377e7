import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { fromDate } from "@/lib/input/date-input";
import { staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZTrainingInput } from "@/lib/training/schemas";
import { checkSessionReferences, sessionColumns } from "@/lib/training/session-data";

/** Corrects a session and its attendance list (e.g. someone was missed); refused if changed meanwhile. */
export async function updateTrainingSession(
  ctx: WriteContext,
  id: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<void> {
  requireRolePermission(ctx.actor, "training:manage");
  const input = parseOrThrow(ZTrainingInput, rawInput);
  await authorizedWrite(
    ctx,
    {
      permission: "training:manage",
      loadTarget: async (tx) => ((await tx.trainingSession.count({ where: { id } })) ? {} : null),
    },
    async (tx, audit) => {
      const before = await tx.trainingSession.findUniqueOrThrow({
        where: { id },
        include: { attendees: { select: { userId: true } } },
      });
      if (before.version !== expectedVersion)
        throw staleVersion("This session was changed after you opened it. Reload to see the change.");
      const attendeeIds = await checkSessionReferences(tx, input);
      await tx.trainingAttendance.deleteMany({ where: { sessionId: id } });
      await tx.trainingSession.update({
        where: { id },
        data: {
          ...sessionColumns(input),
          version: { increment: 1 },
          attendees: { create: attendeeIds.map((userId) => ({ userId })) },
        },
      });
      const beforeView = {
        topic: before.topic,
        heldOn: fromDate(before.heldOn),
        trainer: before.trainer,
        durationMinutes: before.durationMinutes,
        isApiSecurity: before.isApiSecurity,
        notes: before.notes,
        materialsId: before.materialsId ?? "",
        attendeeIds: before.attendees.map((a) => a.userId).sort(),
      };
      await audit({
        action: "training.update",
        targetType: "training",
        targetId: id,
        summary: `Training “${input.topic}” corrected`,
        before: beforeView,
        after: { ...input, attendeeIds: [...attendeeIds].sort() },
      });
    },
  );
}
