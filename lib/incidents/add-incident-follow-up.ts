import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { requireRolePermission } from "@/lib/authz/policy";
import { parseOrThrow } from "@/lib/input/validation";
import { insertFollowUp } from "@/lib/follow-ups/insert-follow-up";
import { ZNewFollowUp } from "@/lib/follow-ups/schemas";
import { incidentTarget } from "@/lib/incidents/incident-target";

/** A follow-up to prevent recurrence, tracked to closure like a review's. Not on closed incidents. */
export async function addIncidentFollowUp(
  ctx: WriteContext,
  incidentId: string,
  rawInput: unknown,
): Promise<{ id: string }> {
  requireRolePermission(ctx.actor, "incident:handle");
  const input = parseOrThrow(ZNewFollowUp, rawInput);
  return authorizedWrite(
    ctx,
    { permission: "incident:handle", loadTarget: incidentTarget(incidentId) },
    async (tx, audit) => {
      const incident = await tx.incident.findUniqueOrThrow({ where: { id: incidentId }, select: { title: true } });
      return insertFollowUp(tx, audit, { incidentId }, input, {
        subject: `incident “${incident.title}”`,
        link: `/incidents/${incidentId}#follow-ups`,
      });
    },
  );
}
