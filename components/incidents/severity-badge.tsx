const CLASS = {
  LOW: "badge-NOT_APPLICABLE",
  MEDIUM: "badge-CANNOT_JUDGE",
  HIGH: "badge-NOT_MET",
  CRITICAL: "badge-NOT_MET",
} as const;

export function SeverityBadge({ severity }: { severity: keyof typeof CLASS }) {
  return (
    <span className={`badge ${CLASS[severity]}`}>
      {severity === "CRITICAL" ? "‼ " : ""}
      {severity.toLowerCase()}
    </span>
  );
}
