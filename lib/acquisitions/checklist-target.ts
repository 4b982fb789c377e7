import "server-only";
import type { Tx } from "@/lib/db/client";

/** A checklist as a permission target: requester (ownerId), reviewer, and locked once decided. */
export function checklistTarget(id: string) {
  return async (tx: Tx) => {
    const c = await tx.acquisitionChecklist.findUnique({
      where: { id },
      select: { requesterId: true, reviewerId: true, outcome: true },
    });
    return c ? { ownerId: c.requesterId, reviewerId: c.reviewerId, locked: c.outcome !== null } : null;
  };
}
