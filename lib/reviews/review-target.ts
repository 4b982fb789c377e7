import "server-only";
import type { Tx } from "@/lib/audit/authorized-write";

/** A review as a permission target: its reviewer, and locked once signed off. */
export function reviewTarget(reviewId: string) {
  return async (tx: Tx) => {
    const r = await tx.review.findUnique({ where: { id: reviewId }, select: { reviewerId: true, status: true } });
    return r ? { reviewerId: r.reviewerId, locked: r.status === "SIGNED_OFF" } : null;
  };
}
