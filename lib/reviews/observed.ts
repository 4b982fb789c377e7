import "server-only";
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/chain";
import type { ObservedAccessView } from "@/lib/observed/queries";
import type { ReviewDetail } from "@/lib/reviews/review-view";
import type { SnapshotClient } from "@/lib/reviews/snapshot";

// Observed versus granted, as a review shows it beside its frozen grants: judged from the traffic while
// the review is open, and frozen into the review when it is signed off, so the record shows what the
// reviewer decided on — not what the traffic says months later.

export type ReviewObserved = ReviewDetail["observed"];
export const NO_OBSERVED: ReviewObserved = { lastEventAt: null, grants: {}, unknownCallers: [] };

/** The traffic flags of each frozen grant (by the grant's name as its caller) and the callers that are no grant. */
export function reviewObserved(traffic: ObservedAccessView, snapshot: SnapshotClient[]): ReviewObserved {
  const byName = new Map(traffic.rows.map((row) => [row.clientId, row]));
  return {
    lastEventAt: traffic.lastCallAt,
    grants: Object.fromEntries(
      snapshot.map((c) => {
        const row = byName.get(c.name);
        return [c.id, row?.grant ? row.flags : []];
      }),
    ),
    unknownCallers: traffic.rows
      .filter((row) => !row.grant && row.seen)
      .map((row) => ({
        clientId: row.clientId,
        calls: row.seen!.calls,
        lastAt: row.seen!.lastAt,
        flag: row.flags[0]!,
      })),
  };
}

/** The frozen form: canonical JSON and its SHA-256, which the sign-off's audit entry records. */
export function freezeObserved(observed: ReviewObserved): { json: string; sha256: string } {
  const json = canonicalJson(observed);
  return { json, sha256: createHash("sha256").update(json).digest("hex") };
}

/** A signed-off review's frozen traffic flags; none for a review signed off before they were kept. */
export function thawObserved(json: string): ReviewObserved {
  return json ? (JSON.parse(json) as ReviewObserved) : NO_OBSERVED;
}
