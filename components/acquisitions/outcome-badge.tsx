import { OUTCOME_LABELS, type Outcome } from "@/lib/acquisitions/schemas";

const CLASS: Record<Outcome, string> = {
  APPROVED: "badge-MET",
  APPROVED_WITH_CONDITIONS: "badge-CANNOT_JUDGE",
  REJECTED: "badge-NOT_MET",
};

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return <span className={`badge ${CLASS[outcome]}`}>{OUTCOME_LABELS[outcome]}</span>;
}
