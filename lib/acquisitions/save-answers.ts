import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError, staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZAnswersInput } from "@/lib/acquisitions/schemas";
import { checklistTarget } from "@/lib/acquisitions/checklist-target";

/** Saves answers and evidence notes (requester or reviewer, until decided); refused if changed meanwhile. */
export async function saveAnswers(
  ctx: WriteContext,
  id: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<void> {
  requireRolePermission(ctx.actor, "acquisition:edit");
  const input = parseOrThrow(ZAnswersInput, rawInput);
  await authorizedWrite(ctx, { permission: "acquisition:edit", loadTarget: checklistTarget(id) }, async (tx, audit) => {
    const checklist = await tx.acquisitionChecklist.findUniqueOrThrow({
      where: { id },
      include: { answers: { orderBy: { position: "asc" } } },
    });
    if (checklist.version !== expectedVersion)
      throw staleVersion("This checklist was changed after you opened it. Reload to see the change.");
    const byPosition = new Map(checklist.answers.map((a) => [a.position, a]));
    const unknown = input.answers.filter((a) => !byPosition.has(a.position));
    if (unknown.length)
      throw new AppError("VALIDATION", "The answers do not match this checklist's questions; reload the page.");
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const a of input.answers) {
      const old = byPosition.get(a.position)!;
      if (old.answer === a.answer && old.evidence === a.evidence) continue;
      await tx.acquisitionAnswer.update({ where: { id: old.id }, data: { answer: a.answer, evidence: a.evidence } });
      before[`q${a.position + 1}`] = { answer: old.answer, evidence: old.evidence };
      after[`q${a.position + 1}`] = { answer: a.answer, evidence: a.evidence };
    }
    await tx.acquisitionChecklist.update({ where: { id }, data: { version: { increment: 1 } } });
    await audit({
      action: "acquisition.answers",
      targetType: "acquisition",
      targetId: id,
      summary: `Answers saved for ${checklist.vendor} ${checklist.product}`,
      before,
      after,
    });
  });
}
