import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";
import { requireRolePermission } from "@/lib/authz/policy";
import { ZUserUpdate } from "@/lib/users/schemas";
import { parseOrThrow } from "@/lib/input/validation";
import { endSessionsOf } from "@/lib/sessions/session-state";
import { revokeTokensOf } from "@/lib/tokens/revoke-token";
import type { AuditInput } from "@/lib/audit/authorized-write";
import type { Tx } from "@/lib/db/client";

const view = (u: { name: string; role: string; teamId: string | null; isActive: boolean }) => ({
  name: u.name,
  role: u.role,
  teamId: u.teamId,
  isActive: u.isActive,
});

/** Name, role, team and active flag. Admins cannot demote or deactivate themselves (no lock-out). */
export async function updateUser(ctx: WriteContext, id: string, rawInput: unknown): Promise<void> {
  requireRolePermission(ctx.actor, "user:manage");
  const input = parseOrThrow(ZUserUpdate, rawInput);
  await authorizedWrite(ctx, { permission: "user:manage" }, async (tx, audit) => {
    const before = await tx.user.findUnique({ where: { id } });
    if (!before) throw new AppError("NOT_FOUND", "That user does not exist.");
    if (ctx.actor.id === id && (input.role !== before.role || !input.isActive)) {
      throw new AppError("VALIDATION", "You cannot change your own role or deactivate yourself; ask another admin.", {
        role: ["You cannot change your own role."],
      });
    }
    // A service account acts through tokens alone; an admin's powers behind a token would be unreviewable.
    if (before.isServiceAccount && input.role === "ADMIN")
      throw new AppError("VALIDATION", "Some fields need attention.", {
        role: ["A service account cannot be an admin."],
      });
    if (input.teamId && !(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) {
      throw new AppError("VALIDATION", "Some fields need attention.", { teamId: ["Choose an existing team."] });
    }
    const after = await tx.user.update({
      where: { id },
      data: { name: input.name, role: input.role, teamId: input.teamId || null, isActive: input.isActive },
    });
    await recordUserChange(tx, audit, before, after, ctx.actor.id);
  });
}

type UserState = { id: string; email: string; name: string; role: string; teamId: string | null; isActive: boolean };

/**
 * The audit entry for a change of a person's name, role, team or activity, and its consequences: access
 * granted under the old role, or to someone who has left, stops at once — their sessions end, and a
 * leaver's tokens are revoked for good (reactivating the account does not bring them back). Used by the
 * admin's edit and by SCIM provisioning (`source` says who changed it).
 */
export async function recordUserChange(
  tx: Tx,
  audit: (entry: AuditInput) => Promise<void>,
  before: UserState,
  after: UserState,
  byId: string | null,
  source = "",
): Promise<void> {
  const roleChanged = before.role !== after.role;
  const deactivated = before.isActive && !after.isActive;
  const by = source ? ` by ${source}` : "";
  await audit({
    action: roleChanged ? "user.role-change" : deactivated ? "user.deactivate" : "user.update",
    targetType: "user",
    targetId: after.id,
    summary: roleChanged
      ? `Role of ${after.email} changed from ${before.role} to ${after.role}${by}`
      : deactivated
        ? `Deactivated ${after.email}${by}`
        : `Updated user ${after.email}${by}`,
    before: view(before),
    after: view(after),
  });
  if (roleChanged || deactivated)
    await endSessionsOf(tx, audit, after, deactivated ? "account deactivated" : "role changed");
  if (deactivated) await revokeTokensOf(tx, audit, after, byId, "account deactivated");
  // Tokens left from before deactivation revoked its tokens (older installations) never come back either.
  if (!before.isActive && after.isActive)
    await revokeTokensOf(tx, audit, after, byId, "account reactivated; its old tokens are not revived");
}
