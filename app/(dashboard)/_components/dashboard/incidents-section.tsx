import Link from "next/link";
import { CHART_COLORS } from "@/components/charts/stacked-bar";
import type { IncidentSummary } from "@/app/(dashboard)/_components/dashboard/types";

export function IncidentsSection({ incidents }: { incidents: IncidentSummary }) {
  const maxHours = Math.max(
    1,
    ...incidents.quarters.flatMap((q) => [q.meanHoursToContain ?? 0, q.meanHoursToResolve ?? 0]),
  );
  const anyTimes = incidents.quarters.some((q) => q.meanHoursToContain !== null || q.meanHoursToResolve !== null);
  return (
    <section className="card" aria-labelledby="incidents-h" style={{ marginTop: "1rem" }}>
      <h2 id="incidents-h">Incidents</h2>
      <div className="grid grid-2">
        <div>
          <p className="small muted">Open incidents by severity.</p>
          <div className="row">
            {(["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const).map((s) => (
              <Link
                key={s}
                href="/incidents"
                className="card"
                style={{ textDecoration: "none", color: "inherit", padding: "0.5rem 0.8rem" }}
              >
                <div className="stat">{incidents.openBySeverity[s] ?? 0}</div>
                <div className="stat-label">{s.toLowerCase()}</div>
              </Link>
            ))}
          </div>
        </div>
        <div>
          <p className="small muted">
            Mean hours from detection to containment and to resolution, by quarter of detection.
          </p>
          {anyTimes ? (
            <div className="legend" aria-hidden="true" style={{ marginBottom: "0.4rem" }}>
              <span style={{ ["--swatch" as string]: CHART_COLORS.judge }}>To contain</span>
              <span style={{ ["--swatch" as string]: CHART_COLORS.brand }}>To resolve</span>
            </div>
          ) : (
            <p className="muted">No data: no incident has been contained or resolved yet.</p>
          )}
          {(anyTimes ? incidents.quarters : []).map((q) => (
            <div key={q.quarter} className="control-row" style={{ gridTemplateColumns: "80px 1fr" }}>
              <strong className="small">{q.quarter}</strong>
              <div className="stack" style={{ gap: "0.2rem" }}>
                {(
                  [
                    ["To contain", q.meanHoursToContain, CHART_COLORS.judge],
                    ["To resolve", q.meanHoursToResolve, CHART_COLORS.brand],
                  ] as const
                ).map(([label, value, color]) => (
                  <div key={label} className="row small" style={{ flexWrap: "nowrap" }}>
                    <span
                      role="img"
                      aria-label={`${q.quarter} ${label.toLowerCase()}: ${value === null ? "no data" : `${value.toFixed(1)} hours`}`}
                      style={{
                        display: "block",
                        height: 10,
                        width: `${value === null ? 0 : Math.max(2, (value / maxHours) * 100)}%`,
                        background: color,
                        borderRadius: 3,
                      }}
                    />
                    <span style={{ whiteSpace: "nowrap" }}>{value === null ? "—" : `${value.toFixed(1)} h`}</span>
                  </div>
                ))}
                <span className="small muted">{q.count} detected</span>
              </div>
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
