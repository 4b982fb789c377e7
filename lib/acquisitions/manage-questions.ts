import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { ZQuestionInput } from "@/lib/acquisitions/schemas";

// The admin's question list. Editing or retiring a question affects checklists started afterwards only:
// each checklist keeps its own copy of the text.

export async function addQuestion(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "acquisition:manage-questions");
  const input = parseOrThrow(ZQuestionInput, rawInput);
  return authorizedWrite(ctx, { permission: "acquisition:manage-questions" }, async (tx, audit) => {
    const last = await tx.acquisitionQuestion.findFirst({ orderBy: { position: "desc" }, select: { position: true } });
    const q = await tx.acquisitionQuestion.create({ data: { ...input, position: (last?.position ?? -1) + 1 } });
    await audit({
      action: "acquisition.question.add",
      targetType: "acquisition-question",
      targetId: q.id,
      summary: "Acquisition question added",
      after: input,
    });
    return { id: q.id };
  });
}

export async function updateQuestion(
  ctx: WriteContext,
  id: string,
  rawInput: unknown,
  isActive: boolean,
): Promise<void> {
  requireRolePermission(ctx.actor, "acquisition:manage-questions");
  const input = parseOrThrow(ZQuestionInput, rawInput);
  await authorizedWrite(
    ctx,
    {
      permission: "acquisition:manage-questions",
      loadTarget: async (tx) => ((await tx.acquisitionQuestion.count({ where: { id } })) ? {} : null),
    },
    async (tx, audit) => {
      const before = await tx.acquisitionQuestion.findUniqueOrThrow({ where: { id } });
      await tx.acquisitionQuestion.update({ where: { id }, data: { ...input, isActive } });
      await audit({
        action: "acquisition.question.update",
        targetType: "acquisition-question",
        targetId: id,
        summary:
          isActive === before.isActive
            ? "Acquisition question edited"
            : isActive
              ? "Acquisition question restored"
              : "Acquisition question retired",
        before: { text: before.text, help: before.help, isActive: before.isActive },
        after: { ...input, isActive },
      });
    },
  );
}
