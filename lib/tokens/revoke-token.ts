import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";

/** Revokes a token at once: the next request with it is refused. */
export async function revokeToken(ctx: WriteContext, tokenId: string): Promise<void> {
  if (ctx.actor.kind !== "user") throw new AppError("FORBIDDEN", "Tokens are revoked by a person.");
  const actorId = ctx.actor.id;
  const token = await db.apiToken.findUnique({ where: { id: tokenId }, select: { userId: true } });
  const permission = token && token.userId !== actorId ? "token:manage-service" : "token:manage-own";
  requireRolePermission(ctx.actor, permission);
  await authorizedWrite(
    ctx,
    {
      permission,
      loadTarget: async (tx) => {
        const t = await tx.apiToken.findUnique({
          where: { id: tokenId },
          select: { userId: true, user: { select: { isServiceAccount: true } } },
        });
        if (!t) return null;
        if (permission === "token:manage-service" && !t.user.isServiceAccount)
          throw new AppError("FORBIDDEN", "You do not have permission to do that.");
        return { ownerId: t.userId };
      },
    },
    async (tx, audit) => {
      const t = await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
      if (t.revokedAt) throw new AppError("CONFLICT", "That token is already revoked.");
      await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date(), revokedById: actorId } });
      await audit({
        action: "token.revoke",
        targetType: "user",
        targetId: t.userId,
        summary: `API token “${t.name}” revoked (${t.prefix}…)`,
        before: { tokenId, revokedAt: null },
        after: { tokenId, revokedAt: new Date().toISOString() },
      });
    },
  );
}
