import "server-only";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { db, type Tx } from "@/lib/db/client";

/** Revokes a token at once: the next request with it is refused. Its owner's, or any token for an admin. */
export async function revokeToken(ctx: WriteContext, tokenId: string): Promise<void> {
  if (ctx.actor.kind !== "user") throw new AppError("FORBIDDEN", "Tokens are revoked by a person.");
  const actorId = ctx.actor.id;
  const token = await db.apiToken.findUnique({ where: { id: tokenId }, select: { userId: true } });
  const permission = token && token.userId !== actorId ? "token:revoke-any" : "token:manage-own";
  requireRolePermission(ctx.actor, permission);
  await authorizedWrite(
    ctx,
    {
      permission,
      loadTarget: async (tx) => {
        const t = await tx.apiToken.findUnique({ where: { id: tokenId }, select: { userId: true } });
        return t ? { ownerId: t.userId } : null;
      },
    },
    async (tx, audit) => {
      const t = await tx.apiToken.findUniqueOrThrow({
        where: { id: tokenId },
        include: { user: { select: { email: true } } },
      });
      if (t.revokedAt) throw new AppError("CONFLICT", "That token is already revoked.");
      const at = new Date();
      await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: at, revokedById: actorId } });
      await audit({
        action: "token.revoke",
        targetType: "user",
        targetId: t.userId,
        summary:
          t.userId === actorId
            ? `API token “${t.name}” revoked (${t.prefix}…)`
            : `API token “${t.name}” of ${t.user.email} revoked (${t.prefix}…)`,
        before: { tokenId, revokedAt: null },
        after: { tokenId, revokedAt: at.toISOString() },
      });
    },
  );
}

/**
 * Revokes every live token of a person inside the caller's write (deactivation, deprovisioning), with one
 * audit entry listing them. Revoked, not suspended: reactivating the person does not bring them back.
 */
export async function revokeTokensOf(
  tx: Tx,
  audit: (entry: AuditInput) => Promise<void>,
  user: { id: string; email: string },
  byId: string | null,
  reason: string,
): Promise<number> {
  const live = await tx.apiToken.findMany({
    where: { userId: user.id, revokedAt: null },
    select: { id: true, prefix: true },
    orderBy: { id: "asc" },
  });
  if (!live.length) return 0;
  const at = new Date();
  await tx.apiToken.updateMany({
    where: { id: { in: live.map((t) => t.id) } },
    data: { revokedAt: at, revokedById: byId },
  });
  await audit({
    action: "token.revoke",
    targetType: "user",
    targetId: user.id,
    summary: `${live.length} API token(s) of ${user.email} revoked (${reason})`,
    details: { email: user.email, reason, tokens: live.map((t) => `${t.prefix}…`), tokenIds: live.map((t) => t.id) },
  });
  return live.length;
}
