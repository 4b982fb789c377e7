import Link from "next/link";
import { CONTROLS, CONTROL_COLUMN, CONTROL_IDS } from "@/lib/ism/controls";
import { CHART_COLORS, StackedBar } from "@/components/charts/stacked-bar";
import type { Dashboard } from "@/app/(dashboard)/_components/dashboard/types";

const STATUS_COLORS = {
  MET: CHART_COLORS.met,
  NOT_MET: CHART_COLORS.notMet,
  CANNOT_JUDGE: CHART_COLORS.judge,
} as const;

export function ControlsSection({ d }: { d: Dashboard }) {
  const fmt = (n: number) => n.toLocaleString("en-AU");
  return (
    <section className="card" aria-labelledby="controls-h">
      <h2 id="controls-h">ISM network-API controls</h2>
      <p className="small muted">Applicable APIs per control: met, not met, or cannot be judged yet.</p>
      <div className="legend" aria-hidden="true" style={{ marginBottom: "0.5rem" }}>
        <span style={{ ["--swatch" as string]: STATUS_COLORS.MET }}>Met</span>
        <span style={{ ["--swatch" as string]: STATUS_COLORS.NOT_MET }}>Not met</span>
        <span style={{ ["--swatch" as string]: STATUS_COLORS.CANNOT_JUDGE }}>Cannot be judged</span>
      </div>
      {CONTROL_IDS.map((id) => {
        const c = d.controls[id];
        const col = CONTROL_COLUMN[id];
        const applicable = c.MET + c.NOT_MET + c.CANNOT_JUDGE;
        return (
          <div key={id} className="control-row">
            <div>
              <strong>{CONTROLS[id].label}</strong>
              <div className="small muted">
                {CONTROLS[id].internet ? "internet" : "internal"} ·{" "}
                {CONTROLS[id].kind === "auth" ? "authn/authz" : "logging"}
              </div>
            </div>
            <div className="stack" style={{ gap: "0.3rem" }}>
              <StackedBar
                label={`${CONTROLS[id].label}: ${applicable} applicable APIs`}
                segments={[
                  { label: "Met", value: c.MET, color: STATUS_COLORS.MET, href: `/apis?${col}=MET` },
                  {
                    label: "Not met",
                    value: c.NOT_MET,
                    color: STATUS_COLORS.NOT_MET,
                    href: `/apis?${col}=NOT_MET`,
                  },
                  {
                    label: "Cannot be judged",
                    value: c.CANNOT_JUDGE,
                    color: STATUS_COLORS.CANNOT_JUDGE,
                    href: `/apis?${col}=CANNOT_JUDGE`,
                  },
                ]}
              />
              <div className="small">
                <Link href={`/apis?${col}=MET`}>{fmt(c.MET)} met</Link> ·{" "}
                <Link href={`/apis?${col}=NOT_MET`}>{fmt(c.NOT_MET)} not met</Link> ·{" "}
                <Link href={`/apis?${col}=CANNOT_JUDGE`}>{fmt(c.CANNOT_JUDGE)} cannot be judged</Link>{" "}
                <span className="muted">of {fmt(applicable)} applicable</span>
              </div>
            </div>
          </div>
        );
      })}
    </section>
  );
}
