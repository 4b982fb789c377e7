import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { fromDate, toDate, todayInput } from "@/lib/input/date-input";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZApproveInput } from "@/lib/documents/schemas";
import { versionTarget } from "@/lib/documents/document-target";

/**
 * Approves a draft version: the approver is the person signed in, never its uploader (the policy's
 * separation of duties). The approval date may be earlier than today (a signed paper approval being
 * recorded), but never before the version was uploaded — what was approved is this file or text, which
 * did not exist before — and never in the future. The effective date is the version's own and may lie
 * in the past; "in force" needs both (lib/documents/status.ts). The audit log keeps the real time.
 */
export async function approveDocumentVersion(ctx: WriteContext, versionId: string, rawInput: unknown): Promise<void> {
  requireRolePermission(ctx.actor, "document:approve");
  const input = parseOrThrow(ZApproveInput, rawInput);
  if (input.approvedOn > todayInput())
    throw new AppError("VALIDATION", "Some fields need attention.", {
      approvedOn: ["The approval date cannot be in the future."],
    });
  await authorizedWrite(
    ctx,
    { permission: "document:approve", loadTarget: versionTarget(versionId) },
    async (tx, audit) => {
      const uploadedOn = fromDate(
        (await tx.documentVersion.findUniqueOrThrow({ where: { id: versionId }, select: { createdAt: true } }))
          .createdAt,
      );
      if (input.approvedOn < uploadedOn) {
        throw new AppError("VALIDATION", "Some fields need attention.", {
          approvedOn: [`The approval date cannot be before the version was uploaded (${uploadedOn}).`],
        });
      }
      const v = await tx.documentVersion.update({
        where: { id: versionId },
        data: { status: "APPROVED", approverId: ctx.actor.id, approvedAt: toDate(input.approvedOn) },
        include: { document: { select: { title: true } } },
      });
      await audit({
        action: "document.version.approve",
        targetType: "document",
        targetId: v.documentId,
        summary: `Version ${v.number} of “${v.document.title}” approved`,
        before: { number: v.number, status: "DRAFT" },
        after: { number: v.number, status: "APPROVED", approvedOn: input.approvedOn },
      });
    },
  );
}
