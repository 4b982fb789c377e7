import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError, staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZClientInput } from "@/lib/clients/schemas";
import { apiTarget, clientAuditView, toClientColumns } from "@/lib/clients/client-data";

/** Refuses a save based on an older version of the client than the one stored. */
export async function updateClient(
  ctx: WriteContext,
  apiId: string,
  clientId: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<void> {
  requireRolePermission(ctx.actor, "client:manage");
  const input = parseOrThrow(ZClientInput, rawInput);
  await authorizedWrite(ctx, { permission: "client:manage", loadTarget: apiTarget(apiId) }, async (tx, audit) => {
    const before = await tx.apiClient.findFirst({ where: { id: clientId, apiId } });
    if (!before) throw new AppError("NOT_FOUND", "That client does not exist or was removed.");
    if (before.version !== expectedVersion)
      throw staleVersion("Someone else changed this client after you opened it. Reload to see their change.");
    if (
      input.name !== before.name &&
      (await tx.apiClient.findUnique({ where: { apiId_name: { apiId, name: input.name } }, select: { id: true } }))
    ) {
      throw new AppError("CONFLICT", "This API already has a client with that name.", {
        name: ["This API already has a client with that name."],
      });
    }
    const after = await tx.apiClient.update({
      where: { id: clientId },
      data: { ...toClientColumns(input), version: { increment: 1 } },
    });
    await audit({
      action: "client.update",
      targetType: "api",
      targetId: apiId,
      summary: `Changed the grant of client “${after.name}”`,
      before: clientAuditView(before),
      after: clientAuditView(after),
    });
  });
}
