import { LABELS, type ControlStatus } from "@/lib/apis/enums";

const SYMBOL: Record<ControlStatus, string> = { MET: "✓", NOT_MET: "✗", CANNOT_JUDGE: "?", NOT_APPLICABLE: "–" };

/** Status as colour, symbol and word, so it does not rely on colour alone. */
export function ControlBadge({ status, compact = false }: { status: ControlStatus; compact?: boolean }) {
  return (
    <span className={`badge badge-${status}`} title={LABELS.controlStatus[status]}>
      <span aria-hidden="true">{SYMBOL[status]}</span>
      {compact ? <span className="sr-only">{LABELS.controlStatus[status]}</span> : LABELS.controlStatus[status]}
    </span>
  );
}
