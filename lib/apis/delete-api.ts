import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { auditView } from "@/lib/apis/api-data";

/** Soft delete: the row and its history stay; it leaves the inventory and the dashboards. */
export async function deleteApi(ctx: WriteContext, id: string): Promise<void> {
  await authorizedWrite(
    ctx,
    {
      permission: "api:delete",
      loadTarget: (tx) => tx.api.findFirst({ where: { id, deletedAt: null }, select: { ownerId: true, teamId: true } }),
    },
    async (tx, audit) => {
      const before = await tx.api.findUniqueOrThrow({ where: { id } });
      const after = await tx.api.update({
        where: { id },
        data: { deletedAt: new Date(), deletedById: ctx.actor.id, version: { increment: 1 } },
      });
      await audit({
        action: "api.delete",
        targetType: "api",
        targetId: id,
        summary: `Deleted API “${before.name}”`,
        before: auditView(before),
        after: auditView(after),
      });
    },
  );
}
