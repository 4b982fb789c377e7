import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { AppError, staleVersion } from "@/lib/errors";
import { INCIDENT_LABELS, INCIDENT_STATUSES, ZAdvance, toDateTime, type IncidentStatus } from "@/lib/incidents/schemas";
import { parseOrThrow } from "@/lib/input/validation";
import { incidentTarget } from "@/lib/incidents/incident-target";

/**
 * Moves an incident one step along reported → triaged → contained → resolved → closed, recording when
 * containment, resolution and closure happened (given, or now). The times keep their order: a step is
 * never before the one it follows, nor in the future. Closing needs a root cause and lessons learned.
 */
export async function advanceIncident(
  ctx: WriteContext,
  incidentId: string,
  expectedVersion: number,
  rawInput: unknown = { at: "" },
): Promise<IncidentStatus> {
  requireRolePermission(ctx.actor, "incident:handle");
  const input = parseOrThrow(ZAdvance, rawInput);
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
      const now = input.at ? toDateTime(input.at) : new Date();
      // The last step's time too: triage has no column of its own, only its timeline entry.
      const lastStep = await tx.incidentEntry.findFirst({
        where: { incidentId, kind: "status" },
        orderBy: { at: "desc" },
        select: { at: true },
      });
      const previous = [
        incident.detectedAt,
        incident.reportedAt,
        incident.containedAt,
        incident.resolvedAt,
        lastStep?.at ?? null,
      ]
        .filter((d): d is Date => d !== null)
        .reduce((a, b) => (a > b ? a : b));
      if (now < previous)
        throw new AppError(
          "VALIDATION",
          `It cannot be ${INCIDENT_LABELS.status[next].toLowerCase()} before ${previous.toISOString().slice(0, 16).replace("T", " ")} UTC, the incident's latest recorded time.`,
          { at: ["Give a time after the incident's latest recorded time."] },
        );
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
