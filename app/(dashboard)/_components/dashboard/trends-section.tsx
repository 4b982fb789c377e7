import { CONTROLS, CONTROL_IDS } from "@/lib/ism/controls";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";
import { OutcomeChart } from "@/components/events/outcome-chart";
import type { TrendPoint } from "@/lib/dashboard/control-snapshots";
import type { dailyOutcomes } from "@/lib/events/queries";

/**
 * "Are we getting better?": the controls' results at the end of each of the last quarters and now, on
 * one scale so a growing inventory shows as longer bars, and failed authentication per day.
 */
export function TrendsSection({
  quarters,
  days,
}: {
  quarters: TrendPoint[];
  days: Awaited<ReturnType<typeof dailyOutcomes>>;
}) {
  const scale = Math.max(1, ...quarters.map((q) => q.met + q.notMet + q.cannotJudge));
  const recorded = quarters.filter((q) => q.asOf !== null);
  return (
    <section className="card" aria-labelledby="trends-h" style={{ marginTop: "1rem" }}>
      <h2 id="trends-h">Trends</h2>
      <div className="grid grid-2">
        <div>
          <h3 className="small" style={{ marginTop: 0 }}>
            Control results at each quarter’s end (all six controls, every applicable API)
          </h3>
          <div className="legend" aria-hidden="true" style={{ marginBottom: "0.5rem" }}>
            <span style={{ ["--swatch" as string]: CHART_COLORS.met }}>Met</span>
            <span style={{ ["--swatch" as string]: CHART_COLORS.notMet }}>Not met</span>
            <span style={{ ["--swatch" as string]: CHART_COLORS.judge }}>Cannot be judged</span>
          </div>
          {runs(quarters).map((run) => {
            const q = run[0]!;
            if (q.asOf === null)
              return (
                <div key={q.quarter} className="control-row" style={{ gridTemplateColumns: "auto 1fr" }}>
                  <strong className="small">
                    {run.length > 1 ? `${q.quarter} to ${run[run.length - 1]!.quarter}` : q.quarter}
                  </strong>
                  <span className="small muted">No data: results are recorded daily from the first start.</span>
                </div>
              );
            const total = q.met + q.notMet + q.cannotJudge;
            return (
              <div key={q.quarter} className="control-row" style={{ gridTemplateColumns: "80px 1fr" }}>
                <strong className="small">{q.quarter}</strong>
                <div className="stack" style={{ gap: "0.2rem" }}>
                  <StackedBar
                    scale={scale}
                    label={`${q.quarter}: ${total} results`}
                    segments={[
                      { label: "Met", value: q.met, color: CHART_COLORS.met },
                      { label: "Not met", value: q.notMet, color: CHART_COLORS.notMet },
                      { label: "Cannot be judged", value: q.cannotJudge, color: CHART_COLORS.judge },
                    ]}
                  />
                  <span className="small muted">
                    {total ? `${Math.round((q.met / total) * 100)}% met` : "no applicable API"} ·{" "}
                    {q.asOf === "now" ? "now" : `as of ${q.asOf}`}
                  </span>
                </div>
              </div>
            );
          })}
          {recorded.length > 1 ? (
            <details>
              <summary className="small">Per control</summary>
              <div className="table-wrap">
                <table className="data">
                  <caption className="sr-only">Controls met, by quarter</caption>
                  <thead>
                    <tr>
                      <th scope="col">Control</th>
                      {recorded.map((q) => (
                        <th key={q.quarter} scope="col">
                          {q.quarter}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {CONTROL_IDS.map((id) => (
                      <tr key={id}>
                        <th scope="row">{CONTROLS[id].label}</th>
                        {recorded.map((q) => {
                          const c = q.byControl![id];
                          return (
                            <td key={q.quarter} className="small">
                              {c.met} of {c.met + c.notMet + c.cannotJudge} met
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          ) : null}
        </div>
        <div>
          <h3 className="small" style={{ marginTop: 0 }}>
            Calls and failed authentication per day, every API, last 14 days
          </h3>
          {days.every((d) => d.success + d.authn_failure + d.authz_denied === 0) ? (
            <p className="small muted">No data: no gateway has sent authentication events in the last 14 days.</p>
          ) : (
            <OutcomeChart days={days} />
          )}
        </div>
      </div>
    </section>
  );
}

/** Quarters with results one by one; consecutive quarters without any as one run, said once. */
function runs(quarters: TrendPoint[]): TrendPoint[][] {
  const out: TrendPoint[][] = [];
  for (const q of quarters) {
    const last = out[out.length - 1];
    if (q.asOf === null && last && last[0]!.asOf === null) last.push(q);
    else out.push([q]);
  }
  return out;
}
