import { StackedBar } from "@/components/charts/stacked-bar";

type Day = { day: string; success: number; authn_failure: number; authz_denied: number };

/** Calls per day by outcome, with the failure rate: a spike in red is what to look at. */
export function OutcomeChart({ days }: { days: Day[] }) {
  return (
    <div className="stack" style={{ gap: "0.3rem" }}>
      <div className="legend" aria-hidden="true">
        <span style={{ ["--swatch" as string]: "#1f8a4c" }}>Success</span>
        <span style={{ ["--swatch" as string]: "#c0392b" }}>Authentication failed</span>
        <span style={{ ["--swatch" as string]: "#d99a1e" }}>Authorisation denied</span>
      </div>
      {days.map((d) => {
        const total = d.success + d.authn_failure + d.authz_denied;
        const rate = total ? ((d.authn_failure + d.authz_denied) / total) * 100 : 0;
        return (
          <div key={d.day} className="control-row" style={{ gridTemplateColumns: "90px 1fr 150px" }}>
            <span className="small">{d.day}</span>
            <StackedBar
              label={`${d.day}: ${total} calls`}
              segments={[
                { label: "Success", value: d.success, color: "#1f8a4c" },
                { label: "Authentication failed", value: d.authn_failure, color: "#c0392b" },
                { label: "Authorisation denied", value: d.authz_denied, color: "#d99a1e" },
              ]}
            />
            <span className="small">
              {total ? `${total} calls, ${rate.toFixed(rate < 10 && rate > 0 ? 1 : 0)}% failed` : "no calls"}
            </span>
          </div>
        );
      })}
    </div>
  );
}
