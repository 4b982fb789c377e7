import "server-only";
import { fromDate } from "@/lib/input/date-input";
import type { FollowUpGrant, FollowUpView } from "@/lib/follow-ups/follow-up-view";

type FollowUpRow = {
  id: string;
  version: number;
  description: string;
  ownerId: string | null;
  dueOn: Date | null;
  status: "OPEN" | "DONE" | "CANCELLED";
  completedAt: Date | null;
  completedNote: string;
  appliedChange: string;
};

/** Open past its due date, as every page and the evidence judge it. */
export const isOverdue = (f: { status: string; dueOn: Date | null }, now = new Date()): boolean =>
  f.status === "OPEN" && !!f.dueOn && f.dueOn.getTime() < now.getTime();

/** A follow-up as the review and incident pages show it; `people` maps user ids to names. */
export function toFollowUpView(
  f: FollowUpRow,
  people: Map<string, string>,
  grant: FollowUpGrant | null = null,
): FollowUpView {
  return {
    id: f.id,
    version: f.version,
    description: f.description,
    ownerId: f.ownerId,
    owner: f.ownerId ? (people.get(f.ownerId) ?? "unknown") : null,
    dueOn: fromDate(f.dueOn),
    status: f.status,
    overdue: isOverdue(f),
    grant,
    appliedChange: f.appliedChange,
    completedAt: f.completedAt?.toISOString() ?? null,
    completedNote: f.completedNote,
  };
}

/** Where a follow-up is shown: its review's or its incident's page, at the follow-ups section. */
export const followUpLink = (f: { reviewId: string | null; incidentId: string | null }): string =>
  f.reviewId ? `/reviews/${f.reviewId}#follow-ups` : `/incidents/${f.incidentId}#follow-ups`;
