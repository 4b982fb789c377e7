import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError, staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { OUTCOME_LABELS, ZDecisionInput } from "@/lib/acquisitions/schemas";
import { checklistTarget } from "@/lib/acquisitions/checklist-target";

/**
 * The reviewer's outcome. Every question must be answered, with evidence unless not applicable, so an
 * approval always shows what it rested on. A decided checklist is read-only.
 */
export async function decideChecklist(
  ctx: WriteContext,
  id: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<void> {
  requireRolePermission(ctx.actor, "acquisition:decide");
  const input = parseOrThrow(ZDecisionInput, rawInput);
  await authorizedWrite(
    ctx,
    { permission: "acquisition:decide", loadTarget: checklistTarget(id) },
    async (tx, audit) => {
      const checklist = await tx.acquisitionChecklist.findUniqueOrThrow({
        where: { id },
        include: { answers: { orderBy: { position: "asc" } } },
      });
      if (checklist.version !== expectedVersion)
        throw staleVersion("This checklist was changed after you opened it. Reload to see the change.");
      const unanswered = checklist.answers.filter((a) => !a.answer).map((a) => a.position + 1);
      const noEvidence = checklist.answers
        .filter((a) => a.answer && a.answer !== "NOT_APPLICABLE" && !a.evidence.trim())
        .map((a) => a.position + 1);
      if (unanswered.length || noEvidence.length) {
        const parts = [
          unanswered.length ? `answer question${unanswered.length > 1 ? "s" : ""} ${unanswered.join(", ")}` : "",
          noEvidence.length
            ? `give evidence for question${noEvidence.length > 1 ? "s" : ""} ${noEvidence.join(", ")}`
            : "",
        ].filter(Boolean);
        throw new AppError("VALIDATION", `Before deciding, ${parts.join(" and ")} (and save the answers).`);
      }
      await tx.acquisitionChecklist.update({
        where: { id },
        data: {
          outcome: input.outcome,
          conditions: input.conditions,
          decidedAt: new Date(),
          version: { increment: 1 },
        },
      });
      await audit({
        action: "acquisition.decide",
        targetType: "acquisition",
        targetId: id,
        summary: `${checklist.vendor} ${checklist.product}: ${OUTCOME_LABELS[input.outcome].toLowerCase()}`,
        before: { outcome: null },
        after: { ...input },
      });
    },
  );
}
