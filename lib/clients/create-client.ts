import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZClientInput } from "@/lib/clients/schemas";
import { apiTarget, clientAuditView, toClientColumns } from "@/lib/clients/client-data";

export async function createClient(ctx: WriteContext, apiId: string, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "client:manage");
  const input = parseOrThrow(ZClientInput, rawInput);
  return authorizedWrite(ctx, { permission: "client:manage", loadTarget: apiTarget(apiId) }, async (tx, audit) => {
    if (await tx.apiClient.findUnique({ where: { apiId_name: { apiId, name: input.name } }, select: { id: true } })) {
      throw new AppError("CONFLICT", "This API already has a client with that name.", {
        name: ["This API already has a client with that name."],
      });
    }
    const created = await tx.apiClient.create({ data: { apiId, ...toClientColumns(input) } });
    await audit({
      action: "client.create",
      targetType: "api",
      targetId: apiId,
      summary: `Granted access to client “${created.name}”`,
      after: clientAuditView(created),
    });
    return { id: created.id };
  });
}
