import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError, staleVersion } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZIncidentInput, toDateTime } from "@/lib/incidents/schemas";
import { incidentTarget } from "@/lib/incidents/incident-target";

export async function updateIncident(
  ctx: WriteContext,
  incidentId: string,
  expectedVersion: number,
  rawInput: unknown,
): Promise<void> {
  requireRolePermission(ctx.actor, "incident:handle");
  const input = parseOrThrow(ZIncidentInput, rawInput);
  await authorizedWrite(
    ctx,
    { permission: "incident:handle", loadTarget: incidentTarget(incidentId, { alsoApiIds: input.apiIds }) },
    async (tx, audit) => {
      const before = await tx.incident.findUniqueOrThrow({
        where: { id: incidentId },
        include: { apis: { select: { apiId: true } } },
      });
      if (before.version !== expectedVersion)
        throw staleVersion("This incident was changed after you opened it. Reload to see the change.");
      const apiIds = [...new Set(input.apiIds)];
      if ((await tx.api.count({ where: { id: { in: apiIds } } })) !== apiIds.length)
        throw new AppError("VALIDATION", "Some fields need attention.", { apiIds: ["Choose existing APIs."] });
      const { apiIds: _a, detectedAt, reportedAt, ...rest } = input;
      // Detection and report come before every later step already recorded.
      const firstStep = before.containedAt ?? before.resolvedAt ?? before.closedAt;
      if (firstStep && toDateTime(reportedAt) > firstStep)
        throw new AppError("VALIDATION", "Some fields need attention.", {
          reportedAt: [
            `It cannot be reported after it was ${before.containedAt ? "contained" : before.resolvedAt ? "resolved" : "closed"} (${firstStep.toISOString().slice(0, 16).replace("T", " ")} UTC).`,
          ],
        });
      await tx.incidentApi.deleteMany({ where: { incidentId } });
      await tx.incident.update({
        where: { id: incidentId },
        data: {
          ...rest,
          detectedAt: toDateTime(detectedAt),
          reportedAt: toDateTime(reportedAt),
          version: { increment: 1 },
          apis: { create: apiIds.map((apiId) => ({ apiId })) },
        },
      });
      const { apis, createdAt: _c, updatedAt: _u, version: _v, ...beforeView } = before;
      await audit({
        action: "incident.update",
        targetType: "incident",
        targetId: incidentId,
        summary: `Updated incident “${input.title}”`,
        before: { ...beforeView, apiIds: apis.map((a) => a.apiId) },
        after: { ...rest, detectedAt: toDateTime(detectedAt), reportedAt: toDateTime(reportedAt), apiIds },
      });
    },
  );
}
