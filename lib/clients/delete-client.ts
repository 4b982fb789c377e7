import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { apiTarget, clientAuditView } from "@/lib/clients/client-data";

/** Removes a client's access. The grant as it was stays in the audit log (and in any review snapshot). */
export async function deleteClient(ctx: WriteContext, apiId: string, clientId: string): Promise<void> {
  requireRolePermission(ctx.actor, "client:manage");
  await authorizedWrite(ctx, { permission: "client:manage", loadTarget: apiTarget(apiId) }, async (tx, audit) => {
    const before = await tx.apiClient.findFirst({ where: { id: clientId, apiId } });
    if (!before) throw new AppError("NOT_FOUND", "That client does not exist or was removed.");
    await tx.apiClient.delete({ where: { id: clientId } });
    await audit({
      action: "client.delete",
      targetType: "api",
      targetId: apiId,
      summary: `Removed client “${before.name}”`,
      before: clientAuditView(before),
    });
  });
}
