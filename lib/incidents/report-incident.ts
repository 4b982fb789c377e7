import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/input/validation";
import { ZIncidentInput, toDateTime } from "@/lib/incidents/schemas";
import { teamsOfApis } from "@/lib/incidents/incident-target";

/** Records a new incident; the reporter handles it until someone else is assigned. */
export async function reportIncident(ctx: WriteContext, rawInput: unknown): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "incident:report");
  const input = parseOrThrow(ZIncidentInput, rawInput);
  // The target is the incident-to-be: the teams of the APIs it affects (a team-limited token reports
  // only on its team's APIs).
  return authorizedWrite(
    ctx,
    { permission: "incident:report", loadTarget: async (tx) => ({ teamIds: await teamsOfApis(tx, input.apiIds) }) },
    async (tx, audit) => {
      const apis = await tx.api.count({ where: { id: { in: input.apiIds }, deletedAt: null } });
      if (apis !== new Set(input.apiIds).size)
        throw new AppError("VALIDATION", "Some fields need attention.", { apiIds: ["Choose existing APIs."] });
      const { apiIds, detectedAt, reportedAt, ...rest } = input;
      const incident = await tx.incident.create({
        data: {
          ...rest,
          detectedAt: toDateTime(detectedAt),
          reportedAt: toDateTime(reportedAt),
          handlerId: ctx.actor.id,
          createdById: ctx.actor.id,
          apis: { create: [...new Set(apiIds)].map((apiId) => ({ apiId })) },
        },
      });
      await tx.incidentEntry.create({
        data: {
          incidentId: incident.id,
          at: toDateTime(reportedAt),
          kind: "status",
          text: `Reported by ${input.reportedBy}`,
          authorId: ctx.actor.id,
        },
      });
      await audit({
        action: "incident.report",
        targetType: "incident",
        targetId: incident.id,
        summary: `Incident reported: ${input.title}`,
        after: { ...input },
      });
      return { id: incident.id };
    },
  );
}
