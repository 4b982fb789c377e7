import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";

type Day = { day: string; success: number; authn_failure: number; authz_denied: number };

/** Calls per day by outcome, with the failure rate: a spike in red is what to look at. */
export function OutcomeChart({ days }: { days: Day[] }) {
  // Days on one scale (the busiest day), so a quiet day is a short bar.
  const scale = Math.max(1, ...days.map((d) => d.success + d.authn_failure + d.authz_denied));
  return (
    <div className="stack" style={{ gap: "0.3rem" }}>
      <div className="legend" aria-hidden="true">
        <span style={{ ["--swatch" as string]: CHART_COLORS.met }}>Success</span>
        <span style={{ ["--swatch" as string]: CHART_COLORS.notMet }}>Authentication failed</span>
        <span style={{ ["--swatch" as string]: CHART_COLORS.judge }}>Authorisation denied</span>
      </div>
      {days.map((d) => {
        const total = d.success + d.authn_failure + d.authz_denied;
        const rate = total ? ((d.authn_failure + d.authz_denied) / total) * 100 : 0;
        return (
          <div key={d.day} className="control-row" style={{ gridTemplateColumns: "90px 1fr 120px" }}>
            <span className="small">{d.day}</span>
            <StackedBar
              scale={scale}
              label={`${d.day}: ${total} calls`}
              segments={[
                { label: "Success", value: d.success, color: CHART_COLORS.met },
                { label: "Authentication failed", value: d.authn_failure, color: CHART_COLORS.notMet },
                { label: "Authorisation denied", value: d.authz_denied, color: CHART_COLORS.judge },
              ]}
            />
            <span className="small">
              {total ? `${rate.toFixed(rate < 10 && rate > 0 ? 1 : 0)}% failed` : "no calls"}
            </span>
          </div>
        );
      })}
    </div>
  );
}
