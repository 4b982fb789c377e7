import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { toDate } from "@/lib/input/date-input";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZChecklistInput } from "@/lib/acquisitions/schemas";

/**
 * Starts a checklist for a product under evaluation. The current active questions are copied into it,
 * so later edits to the question list never change what this checklist asked. The reviewer is a
 * manager or admin other than the requester.
 */
export async function startChecklist(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "acquisition:request");
  if (ctx.actor.kind !== "user") throw new AppError("FORBIDDEN", "A checklist is requested by a person.");
  const requesterId = ctx.actor.id;
  const input = parseOrThrow(ZChecklistInput, rawInput);
  if (input.reviewerId === requesterId)
    throw new AppError("VALIDATION", "Some fields need attention.", {
      reviewerId: ["Choose someone other than yourself to review it."],
    });
  return authorizedWrite(ctx, { permission: "acquisition:request" }, async (tx, audit) => {
    const reviewer = await tx.user.findUnique({
      where: { id: input.reviewerId },
      select: { role: true, isActive: true },
    });
    if (!reviewer?.isActive || !["MANAGER", "ADMIN"].includes(reviewer.role))
      throw new AppError("VALIDATION", "Some fields need attention.", {
        reviewerId: ["Choose an active manager or administrator."],
      });
    const questions = await tx.acquisitionQuestion.findMany({
      where: { isActive: true },
      orderBy: { position: "asc" },
    });
    if (!questions.length)
      throw new AppError("VALIDATION", "The question list is empty; ask an administrator to add questions first.");
    const checklist = await tx.acquisitionChecklist.create({
      data: {
        ...input,
        requestedOn: toDate(input.requestedOn)!,
        requesterId,
        answers: {
          create: questions.map((q, position) => ({
            position,
            questionId: q.id,
            questionText: q.text,
            questionHelp: q.help,
          })),
        },
      },
    });
    await audit({
      action: "acquisition.start",
      targetType: "acquisition",
      targetId: checklist.id,
      summary: `Acquisition checklist started for ${input.vendor} ${input.product}`,
      after: { ...input, questions: questions.map((q) => q.text) },
    });
    return { id: checklist.id };
  });
}
