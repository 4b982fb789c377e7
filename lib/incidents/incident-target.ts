import "server-only";
import type { Tx } from "@/lib/audit/authorized-write";

/** An incident as a permission target: its handler, and locked once closed. */
export function incidentTarget(incidentId: string, options: { ignoreLock?: boolean } = {}) {
  return async (tx: Tx) => {
    const i = await tx.incident.findUnique({ where: { id: incidentId }, select: { handlerId: true, status: true } });
    return i ? { ownerId: i.handlerId, locked: !options.ignoreLock && i.status === "CLOSED" } : null;
  };
}
