import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZAcknowledge, ZAlertRule } from "@/lib/events/alert-schemas";

/** Closes an alert with a note (what was found, what was done); the API's owner, team or an admin. */
export async function acknowledgeAlert(ctx: WriteContext, alertId: string, rawInput: unknown): Promise<void> {
  requireRolePermission(ctx.actor, "alert:acknowledge");
  const input = parseOrThrow(ZAcknowledge, rawInput);
  await authorizedWrite(
    ctx,
    {
      permission: "alert:acknowledge",
      loadTarget: async (tx) => {
        const alert = await tx.authAlert.findUnique({ where: { id: alertId }, select: { apiId: true } });
        return alert
          ? tx.api.findUnique({ where: { id: alert.apiId }, select: { ownerId: true, teamId: true } })
          : null;
      },
    },
    async (tx, audit) => {
      const alert = await tx.authAlert.findUniqueOrThrow({ where: { id: alertId } });
      if (alert.acknowledgedAt) throw new AppError("CONFLICT", "This alert was already acknowledged.");
      await tx.authAlert.update({
        where: { id: alertId },
        data: { acknowledgedAt: new Date(), acknowledgedById: ctx.actor.id, note: input.note },
      });
      await audit({
        action: "alert.acknowledge",
        targetType: "api",
        targetId: alert.apiId,
        summary: `Failed-authentication alert for ${alert.keyKind} ${alert.keyValue} acknowledged`,
        details: { alertId, note: input.note },
      });
    },
  );
}

/** Sets an API's own alert rule (part of its record: whoever may edit the API). */
export async function setAlertRule(ctx: WriteContext, apiId: string, rawInput: unknown): Promise<void> {
  requireRolePermission(ctx.actor, "api:update");
  const input = parseOrThrow(ZAlertRule, rawInput);
  await authorizedWrite(
    ctx,
    {
      permission: "api:update",
      loadTarget: (tx) =>
        tx.api.findFirst({ where: { id: apiId, deletedAt: null }, select: { ownerId: true, teamId: true } }),
    },
    async (tx, audit) => {
      const before = await tx.authAlertRule.findUnique({ where: { apiId } });
      await tx.authAlertRule.upsert({ where: { apiId }, create: { apiId, ...input }, update: input });
      await audit({
        action: "api.alert-rule",
        targetType: "api",
        targetId: apiId,
        summary: `Alert rule: more than ${input.threshold} failures in ${input.windowMinutes} min`,
        before: before ? { threshold: before.threshold, windowMinutes: before.windowMinutes } : null,
        after: input,
      });
    },
  );
}
