import type { ReviewState } from "@/lib/reviews/queries";

const LABEL: Record<ReviewState, string> = {
  NOT_STARTED: "Not started",
  IN_PROGRESS: "In progress",
  SIGNED_OFF: "Signed off",
  OVERDUE: "Overdue",
};
const CLASS: Record<ReviewState, string> = {
  NOT_STARTED: "badge-NOT_APPLICABLE",
  IN_PROGRESS: "badge-CANNOT_JUDGE",
  SIGNED_OFF: "badge-MET",
  OVERDUE: "badge-NOT_MET",
};

export function ReviewStateBadge({ state }: { state: ReviewState }) {
  return <span className={`badge ${CLASS[state]}`}>{LABEL[state]}</span>;
}
