import { DOCUMENT_STATE_LABELS, type DocumentState } from "@/lib/documents/status";

const CLASS: Record<DocumentState, string> = {
  current: "badge-MET",
  "review-overdue": "badge-CANNOT_JUDGE",
  "not-yet-effective": "badge-neutral",
  "no-approved-version": "badge-NOT_MET",
};

export function DocumentStateBadge({ state }: { state: DocumentState }) {
  return <span className={`badge ${CLASS[state]}`}>{DOCUMENT_STATE_LABELS[state]}</span>;
}
