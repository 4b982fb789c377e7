import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { ZEntry, toDateTime } from "@/lib/incidents/schemas";
import { incidentTarget } from "@/lib/incidents/incident-target";

/**
 * Adds a dated timeline entry: a note of what was done, or a notification made (to the CISO, ASD's
 * ReportCyber, affected parties…). On a closed incident the entry is an addendum; nothing else changes.
 */
export async function addIncidentEntry(ctx: WriteContext, incidentId: string, rawInput: unknown): Promise<void> {
  requireRolePermission(ctx.actor, "incident:handle");
  const input = parseOrThrow(ZEntry, rawInput);
  await authorizedWrite(
    ctx,
    { permission: "incident:handle", loadTarget: incidentTarget(incidentId, { ignoreLock: true }) },
    async (tx, audit) => {
      const incident = await tx.incident.findUniqueOrThrow({ where: { id: incidentId }, select: { status: true } });
      const kind = incident.status === "CLOSED" ? "addendum" : input.kind;
      await tx.incidentEntry.create({
        data: {
          incidentId,
          at: input.at ? toDateTime(input.at) : new Date(),
          kind,
          recipient: input.kind === "notification" ? input.recipient : "",
          text: input.text,
          authorId: ctx.actor.id,
        },
      });
      await audit({
        action: `incident.${kind}`,
        targetType: "incident",
        targetId: incidentId,
        summary:
          kind === "notification"
            ? `Notified ${input.recipient}`
            : kind === "addendum"
              ? "Addendum to a closed incident"
              : "Timeline note",
        details: { ...input, kind },
      });
    },
  );
}
