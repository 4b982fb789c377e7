import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { DOCUMENT_KIND_LABELS, ZDocumentInput } from "@/lib/documents/schemas";

/** Registers a document (a policy, standard, procedure…); its content comes as versions. */
export async function createDocument(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "document:manage");
  const input = parseOrThrow(ZDocumentInput, rawInput);
  return authorizedWrite(ctx, { permission: "document:manage" }, async (tx, audit) => {
    const doc = await tx.document.create({ data: { ...input, createdById: ctx.actor.id } });
    await audit({
      action: "document.create",
      targetType: "document",
      targetId: doc.id,
      summary: `${DOCUMENT_KIND_LABELS[input.kind]} “${input.title}” registered`,
      after: input,
    });
    return { id: doc.id };
  });
}
