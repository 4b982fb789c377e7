import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";

/** Withdraws a draft that should not be approved (wrong file, superseded). Kept, marked withdrawn. */
export async function withdrawDocumentVersion(ctx: WriteContext, versionId: string): Promise<void> {
  requireRolePermission(ctx.actor, "document:manage");
  const loadTarget = async (tx: Tx) => ((await tx.documentVersion.count({ where: { id: versionId } })) ? {} : null);
  await authorizedWrite(ctx, { permission: "document:manage", loadTarget }, async (tx, audit) => {
    const before = await tx.documentVersion.findUniqueOrThrow({
      where: { id: versionId },
      include: { document: { select: { title: true } } },
    });
    // An approved version stays in the record for good; a newer version replaces it instead.
    if (before.status !== "DRAFT")
      throw new AppError(
        "VALIDATION",
        "Only a draft can be withdrawn; an approved version is replaced by a newer one.",
      );
    await tx.documentVersion.update({ where: { id: versionId }, data: { status: "WITHDRAWN" } });
    await audit({
      action: "document.version.withdraw",
      targetType: "document",
      targetId: before.documentId,
      summary: `Draft version ${before.number} of “${before.document.title}” withdrawn`,
      before: { number: before.number, status: "DRAFT" },
      after: { number: before.number, status: "WITHDRAWN" },
    });
  });
}
