// Which version of a document is in force, and whether the document needs attention. Pure, so the
// documents page, the dashboard and the evidence export judge it the same way.
export type VersionFacts = {
  id: string;
  number: number;
  status: "DRAFT" | "APPROVED" | "WITHDRAWN";
  effectiveDate: Date;
  nextReviewDate: Date;
  approvedAt: Date | null;
  createdAt: Date;
};

export type DocumentState = "current" | "review-overdue" | "not-yet-effective" | "no-approved-version";

export const DOCUMENT_STATE_LABELS: Record<DocumentState, string> = {
  current: "Current",
  "review-overdue": "Overdue for review",
  "not-yet-effective": "Approved, not yet in effect",
  "no-approved-version": "No approved version",
};

/** The calendar day (00:00 UTC, like the stored dates) of an instant. */
const dayOf = (instant: Date) => new Date(`${instant.toISOString().slice(0, 10)}T00:00:00Z`);

/**
 * The day a version's approval counts from: its approval date, but never before the day it was uploaded
 * (lib/documents/approve-version.ts refuses such dates now; approvals recorded before that rule are
 * read the same way). Null = not approved.
 */
export function approvedFrom(v: VersionFacts): Date | null {
  if (v.status !== "APPROVED" || !v.approvedAt) return null;
  const uploaded = dayOf(v.createdAt);
  return v.approvedAt > uploaded ? v.approvedAt : uploaded;
}

/**
 * The day a version came into force: once it was both approved and effective, whichever came later
 * (null = not approved). The effective date may be set in the past; it never makes a version in force
 * before it was approved.
 */
export function inForceFrom(v: VersionFacts): Date | null {
  const approved = approvedFrom(v);
  if (!approved) return null;
  return approved > v.effectiveDate ? approved : v.effectiveDate;
}

/**
 * The version in force on `today`: of the versions approved by then and effective by then, the one
 * that came into force last (a later number wins a tie). An approved version effective in the future
 * does not replace it until that day.
 */
export function versionInForce<V extends VersionFacts>(versions: readonly V[], today: Date): V | null {
  let best: V | null = null;
  let bestFrom: Date | null = null;
  for (const v of versions) {
    const from = inForceFrom(v);
    if (!from || from > today) continue;
    if (!best || !bestFrom || from > bestFrom || (from.getTime() === bestFrom.getTime() && v.number > best.number)) {
      best = v;
      bestFrom = from;
    }
  }
  return best;
}

export function documentState(
  versions: readonly VersionFacts[],
  today: Date,
): { state: DocumentState; inForce: VersionFacts | null; pendingDrafts: number } {
  const inForce = versionInForce(versions, today);
  const pendingDrafts = versions.filter((v) => v.status === "DRAFT").length;
  if (inForce) return { state: inForce.nextReviewDate < today ? "review-overdue" : "current", inForce, pendingDrafts };
  // Judged with what was approved by that day: a version approved later did not exist as an approval then.
  const upcoming = versions.some((v) => {
    const approved = approvedFrom(v);
    return approved !== null && approved <= today && v.effectiveDate > today;
  });
  return { state: upcoming ? "not-yet-effective" : "no-approved-version", inForce: null, pendingDrafts };
}

/**
 * For each required kind: fine when some document of that kind is current; otherwise the best state
 * found ("review-overdue" beats "not-yet-effective" beats nothing at all = "missing").
 */
export function requiredDocumentGaps<K extends string>(
  requiredKinds: readonly K[],
  documents: readonly { kind: string; state: DocumentState }[],
): { kind: K; problem: "missing" | "review-overdue" | "not-yet-effective" }[] {
  const gaps: { kind: K; problem: "missing" | "review-overdue" | "not-yet-effective" }[] = [];
  for (const kind of requiredKinds) {
    const states = documents.filter((d) => d.kind === kind).map((d) => d.state);
    if (states.includes("current")) continue;
    gaps.push({
      kind,
      problem: states.includes("review-overdue")
        ? "review-overdue"
        : states.includes("not-yet-effective")
          ? "not-yet-effective"
          : "missing",
    });
  }
  return gaps;
}

export const GAP_LABELS = {
  missing: "no approved version",
  "review-overdue": "overdue for review",
  "not-yet-effective": "approved but not yet in effect",
} as const;
