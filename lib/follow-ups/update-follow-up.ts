import "server-only";
import { authorizedWrite, type AuditInput, type WriteContext } from "@/lib/audit/authorized-write";
import { requirePermission, requireRolePermission } from "@/lib/authz/policy";
import type { Tx } from "@/lib/db/client";
import { AppError, staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { decodeList, encodeList } from "@/lib/db/list-column";
import { ZFollowUpUpdate, type TFollowUpUpdate } from "@/lib/follow-ups/schemas";
import { grantActionOf, scopeText } from "@/lib/follow-ups/grant-action";
import { clientAuditView } from "@/lib/clients/client-data";

/**
 * The follow-up's owner (or an admin) records progress: done, cancelled or reopened, with a note.
 * Completing one that a review's revoke or change-scope decision created applies that decision to the
 * live grant in the same write (and audit), so a review never says "revoked" of a grant still in force.
 */
export async function updateFollowUp(
  ctx: WriteContext,
  followUpId: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<void> {
  requireRolePermission(ctx.actor, "follow-up:update");
  const input = parseOrThrow(ZFollowUpUpdate, rawInput);
  await authorizedWrite(
    ctx,
    {
      permission: "follow-up:update",
      loadTarget: async (tx) => tx.followUp.findUnique({ where: { id: followUpId }, select: { ownerId: true } }),
    },
    async (tx, audit) => {
      const before = await tx.followUp.findUniqueOrThrow({
        where: { id: followUpId },
        include: { review: { select: { decisions: true, apiId: true } } },
      });
      if (before.version !== expectedVersion)
        throw staleVersion("This follow-up was changed after you opened it. Reload to see the change.");
      if (before.status === input.status)
        throw new AppError("CONFLICT", `This follow-up is already ${input.status.toLowerCase()}. Reload the page.`);
      if (before.appliedChange && input.status === "OPEN")
        throw new AppError(
          "VALIDATION",
          "Completing this follow-up changed the grant, so it cannot be reopened; add the client again on the API page if it needs access.",
        );
      const action = before.review ? grantActionOf(before, before.review.decisions) : null;
      const appliedChange =
        action && input.status === "DONE"
          ? await applyToGrant(ctx, tx, audit, { ...action, apiId: before.review!.apiId, followUpId }, input)
          : "";
      const done = input.status !== "OPEN";
      const after = await tx.followUp.update({
        where: { id: followUpId },
        data: {
          status: input.status,
          completedNote: input.note,
          completedAt: done ? new Date() : null,
          appliedChange,
          version: { increment: 1 },
        },
      });
      await audit({
        action: before.reviewId ? "review.follow-up-update" : "incident.follow-up-update",
        targetType: before.reviewId ? "review" : "incident",
        targetId: before.reviewId ?? before.incidentId ?? followUpId,
        summary: `Follow-up ${input.status.toLowerCase()}: ${before.description}`,
        before: { status: before.status, completedNote: before.completedNote, appliedChange: before.appliedChange },
        after: { status: after.status, completedNote: after.completedNote, appliedChange: after.appliedChange },
      });
    },
  );
}

/**
 * Revokes the grant or sets its new scope, as the client page would (same permission, same audit entry),
 * and says what it did. A grant already removed since the review is left as it is and said so.
 */
async function applyToGrant(
  ctx: WriteContext,
  tx: Tx,
  audit: (entry: AuditInput) => Promise<void>,
  target: { decision: "REVOKE" | "CHANGE_SCOPE"; clientId: string; apiId: string; followUpId: string },
  input: TFollowUpUpdate,
): Promise<string> {
  const api = await tx.api.findFirst({
    where: { id: target.apiId, deletedAt: null },
    select: { ownerId: true, teamId: true },
  });
  const grant = await tx.apiClient.findFirst({ where: { id: target.clientId, apiId: target.apiId } });
  if (!api || !grant) return "The grant had already been removed; nothing to change.";
  requirePermission(ctx.actor, "client:manage", api);
  if (target.decision === "REVOKE") {
    await tx.apiClient.delete({ where: { id: grant.id } });
    await audit({
      action: "client.delete",
      targetType: "api",
      targetId: target.apiId,
      summary: `Revoked client “${grant.name}” (review follow-up ${target.followUpId})`,
      before: clientAuditView(grant),
    });
    return `Revoked: the grant of “${grant.name}” was removed.`;
  }
  if (!input.grant)
    throw new AppError("VALIDATION", "Give the grant's new scope.", { grant: ["Give the grant's new scope."] });
  const old = { scopes: decodeList(grant.scopes), canModify: grant.canModify };
  const next = { scopes: [...new Set(input.grant.scopes)], canModify: input.grant.canModify };
  if (scopeText(old) === scopeText(next))
    throw new AppError("VALIDATION", "The new scope is the same as the current one.", {
      grant: ["Change the scopes or the modify permission, or cancel the follow-up with a reason."],
    });
  const after = await tx.apiClient.update({
    where: { id: grant.id },
    data: { scopes: encodeList(next.scopes), canModify: next.canModify, version: { increment: 1 } },
  });
  await audit({
    action: "client.update",
    targetType: "api",
    targetId: target.apiId,
    summary: `Changed the scope of client “${grant.name}” (review follow-up ${target.followUpId})`,
    before: clientAuditView(grant),
    after: clientAuditView(after),
  });
  return `Scope changed for “${grant.name}”: ${scopeText(old)} → ${scopeText(next)}.`;
}
