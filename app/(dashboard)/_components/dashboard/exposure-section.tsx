import Link from "next/link";
import { EXPOSURES, LABELS, SENSITIVITIES } from "@/lib/apis/enums";
import { StackedBar } from "@/components/charts/stacked-bar";
import type { Dashboard } from "@/app/(dashboard)/_components/dashboard/types";

const EXPOSURE_COLORS = { INTERNAL: "#1f4e8c", PARTNER: "#7b5ea7", INTERNET: "#c2571a" } as const;

export function ExposureSection({ d }: { d: Dashboard }) {
  const fmt = (n: number) => n.toLocaleString("en-AU");
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
            label={`${LABELS.sensitivity[s]} APIs by exposure`}
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
