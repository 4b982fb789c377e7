import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { insertFollowUpAction } from "@/lib/reviews/add-action";
import { ZNewAction } from "@/lib/reviews/schemas";
import { incidentTarget } from "@/lib/incidents/incident-target";

/** An action to prevent recurrence, tracked to closure like review actions. Not on closed incidents. */
export async function addIncidentAction(
  ctx: WriteContext,
  incidentId: string,
  rawInput: unknown,
): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "incident:handle");
  const input = parseOrThrow(ZNewAction, rawInput);
  return authorizedWrite(
    ctx,
    { permission: "incident:handle", loadTarget: incidentTarget(incidentId) },
    async (tx, audit) => {
      const incident = await tx.incident.findUniqueOrThrow({ where: { id: incidentId }, select: { title: true } });
      return insertFollowUpAction(tx, audit, { incidentId }, input, {
        subject: `incident “${incident.title}”`,
        link: `/incidents/${incidentId}#actions`,
      });
    },
  );
}
