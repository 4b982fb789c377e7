import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Target } from "@/lib/authz/policy";

/**
 * A review as a permission target: its reviewer, the reviewed API's owner (a reviewer never reviews
 * their own API — the policy checks it at every step, so owning the API later refuses the next save)
 * and team, and locked once signed off. Addenda, the one change after sign-off, ask without the lock.
 */
export function reviewTarget(reviewId: string, options: { ignoreLock?: boolean } = {}) {
  return async (tx: Tx): Promise<Target | null> => {
    const r = await tx.review.findUnique({
      where: { id: reviewId },
      select: { reviewerId: true, status: true, api: { select: { ownerId: true, teamId: true } } },
    });
    if (!r) return null;
    const target = toReviewTarget(r);
    return options.ignoreLock ? { ...target, locked: false } : target;
  };
}

/** The same facts from a review already read (pages decide what to show with them). */
export function toReviewTarget(r: {
  reviewerId: string | null;
  status: string;
  api: { ownerId: string | null; teamId: string };
}): Target {
  return { reviewerId: r.reviewerId, ownerId: r.api.ownerId, teamId: r.api.teamId, locked: r.status === "SIGNED_OFF" };
}
