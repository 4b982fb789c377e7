import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError, staleVersion } from "@/lib/errors";
import { INCIDENT_LABELS, INCIDENT_STATUSES, type IncidentStatus } from "@/lib/incidents/schemas";
import { incidentTarget } from "@/lib/incidents/incident-target";

/**
 * Moves an incident one step along reported → triaged → contained → resolved → closed, stamping the
 * time of containment, resolution and closure. Closing needs a root cause and lessons learned.
 */
export async function advanceIncident(
  ctx: WriteContext,
  incidentId: string,
  expectedVersion: number,
): Promise<IncidentStatus> {
  requireRolePermission(ctx.actor, "incident:handle");
  return authorizedWrite(
    ctx,
    { permission: "incident:handle", loadTarget: incidentTarget(incidentId) },
    async (tx, audit) => {
      const incident = await tx.incident.findUniqueOrThrow({ where: { id: incidentId } });
      if (incident.version !== expectedVersion)
        throw staleVersion("This incident was changed after you opened it. Reload to see the change.");
      const from = incident.status as IncidentStatus;
      const next = INCIDENT_STATUSES[INCIDENT_STATUSES.indexOf(from) + 1];
      if (!next) throw new AppError("VALIDATION", "A closed incident cannot move further.");
      if (next === "CLOSED" && (!incident.rootCause.trim() || !incident.lessonsLearned.trim())) {
        throw new AppError("VALIDATION", "Record the root cause and the lessons learned before closing the incident.");
      }
      const now = new Date();
      await tx.incident.update({
        where: { id: incidentId },
        data: {
          status: next,
          version: { increment: 1 },
          ...(next === "CONTAINED" ? { containedAt: now } : {}),
          ...(next === "RESOLVED" ? { resolvedAt: now } : {}),
          ...(next === "CLOSED" ? { closedAt: now } : {}),
        },
      });
      await tx.incidentEntry.create({
        data: {
          incidentId,
          at: now,
          kind: "status",
          text: `${INCIDENT_LABELS.status[from]} → ${INCIDENT_LABELS.status[next]}`,
          authorId: ctx.actor.id,
        },
      });
      await audit({
        action: "incident.status",
        targetType: "incident",
        targetId: incidentId,
        summary: `Incident “${incident.title}” is now ${INCIDENT_LABELS.status[next].toLowerCase()}`,
        before: { status: from },
        after: { status: next },
      });
      return next;
    },
  );
}
