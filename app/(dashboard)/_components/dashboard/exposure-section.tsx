import Link from "next/link";
import { EXPOSURES, LABELS, SENSITIVITIES } from "@/lib/apis/enums";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";
import type { Dashboard } from "@/app/(dashboard)/_components/dashboard/types";

const EXPOSURE_COLORS = {
  INTERNAL: CHART_COLORS.brand,
  PARTNER: CHART_COLORS.partner,
  INTERNET: CHART_COLORS.internet,
} as const;

export function ExposureSection({ d }: { d: Dashboard }) {
  const fmt = (n: number) => n.toLocaleString("en-AU");
  // Every row on one scale (the largest row), so one TOP SECRET API is a short bar beside eleven OFFICIAL.
  const rowTotal = (s: (typeof SENSITIVITIES)[number]) => EXPOSURES.reduce((n, e) => n + d.matrix[e][s], 0);
  const scale = Math.max(1, ...SENSITIVITIES.map(rowTotal));
  return (
    <section className="card" aria-labelledby="exposure-h">
      <h2 id="exposure-h">APIs by exposure and sensitivity</h2>
      <div className="legend" aria-hidden="true" style={{ marginBottom: "0.5rem" }}>
        {EXPOSURES.map((e) => (
          <span key={e} style={{ ["--swatch" as string]: EXPOSURE_COLORS[e] }}>
            {LABELS.exposure[e]}
          </span>
        ))}
      </div>
      {SENSITIVITIES.map((s) => (
        <div key={s} className="control-row" style={{ gridTemplateColumns: "150px 1fr" }}>
          <span className="small">
            <strong>{LABELS.sensitivity[s]}</strong>
          </span>
          <StackedBar
            scale={scale}
            label={`${LABELS.sensitivity[s]} APIs by exposure: ${fmt(rowTotal(s))}`}
            segments={EXPOSURES.map((e) => ({
              label: LABELS.exposure[e],
              value: d.matrix[e][s],
              color: EXPOSURE_COLORS[e],
              href: `/apis?exposure=${e}&sensitivity=${s}`,
            }))}
          />
        </div>
      ))}
      <div className="table-wrap" style={{ marginTop: "0.75rem" }}>
        <table className="data heat">
          <caption className="sr-only">Number of APIs by sensitivity and exposure</caption>
          <thead>
            <tr>
              <th scope="col">Sensitivity</th>
              {EXPOSURES.map((e) => (
                <th key={e} scope="col">
                  {LABELS.exposure[e]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SENSITIVITIES.map((s) => (
              <tr key={s}>
                <th scope="row" style={{ textAlign: "left" }}>
                  {LABELS.sensitivity[s]}
                </th>
                {EXPOSURES.map((e) => (
                  <td key={e}>
                    {d.matrix[e][s] ? (
                      <Link href={`/apis?exposure=${e}&sensitivity=${s}`}>{fmt(d.matrix[e][s])}</Link>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
