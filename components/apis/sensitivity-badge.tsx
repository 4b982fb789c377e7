import { LABELS, type Sensitivity } from "@/lib/apis/enums";

/**
 * A classification, graded so the levels look different at a glance: outlined below PROTECTED, filled
 * from PROTECTED up and darkest at TOP SECRET (the PSPF's blue, salmon and red), with the level's name
 * always written out so colour is never the only cue.
 */
export function SensitivityBadge({ level }: { level: Sensitivity }) {
  return <span className={`badge badge-sens badge-sens-${level}`}>{LABELS.sensitivity[level]}</span>;
}
