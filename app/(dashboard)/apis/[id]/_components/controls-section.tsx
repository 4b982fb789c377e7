import { isInternetAccessible } from "@/lib/apis/rules";
import { CONTROLS } from "@/lib/ism/controls";
import { ControlBadge } from "@/components/apis/control-badge";
import { observedLogging } from "@/lib/observed/flags";
import type { ApiRecord, Evaluations, OfficialControls } from "@/app/(dashboard)/apis/[id]/_components/types";

export function ControlsSection({
  api,
  evaluations,
  official,
  lastEventAt,
}: {
  api: ApiRecord;
  evaluations: Evaluations;
  official: OfficialControls;
  /** When the API's gateways last sent an event (ISO), or null: the logging controls say what was observed. */
  lastEventAt: string | null;
}) {
  const logging = observedLogging(api.centrallyLogged, lastEventAt ? new Date(lastEventAt) : null);
  const applicable = evaluations.filter((e) => e.status !== "NOT_APPLICABLE");
  return (
    <section className="card stack" aria-labelledby="controls-title" style={{ marginBottom: "1rem" }}>
      <div>
        <h2 id="controls-title">ISM network-API controls</h2>
        <p className="muted small">
          {applicable.length === 0
            ? "None of the six controls applies to this API."
            : `${applicable.length} of 6 controls apply. ${isInternetAccessible(api) ? "Treated as internet-accessible." : "Treated as not internet-accessible."}`}{" "}
          {official.catalog
            ? `Official wording from ISM ${official.catalog.release}.`
            : "No ISM catalog imported yet: summaries are ApiLedger’s own words."}
        </p>
      </div>
      {evaluations.map((e) => {
        const control = CONTROLS[e.controlId];
        const text = official.controls.get(e.controlId);
        return (
          <article
            key={e.controlId}
            className="control-detail"
            style={{ borderTop: "1px solid #edf0f4", paddingTop: "0.75rem" }}
            aria-labelledby={`ctl-${e.controlId}`}
          >
            <div className="row" style={{ justifyContent: "space-between" }}>
              <h3 id={`ctl-${e.controlId}`} style={{ margin: 0 }}>
                {control.label}
                {text?.revision ? <span className="small muted"> (revision {text.revision})</span> : null}
              </h3>
              <ControlBadge status={e.status} />
            </div>
            <p className="small" style={{ margin: "0.35rem 0" }}>
              {text?.statement ? <q>{text.statement}</q> : control.summary}
            </p>
            <ul className="small" style={{ margin: "0.25rem 0", paddingLeft: "1.2rem" }}>
              {e.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
              {e.warnings.map((w) => (
                <li key={w}>
                  <strong>Warning:</strong> {w}
                </li>
              ))}
              {control.kind === "logging" && e.status !== "NOT_APPLICABLE" ? (
                <>
                  <li>{logging.line}</li>
                  {logging.warning ? (
                    <li>
                      <strong>Warning:</strong> {logging.warning}
                    </li>
                  ) : null}
                </>
              ) : null}
            </ul>
            {e.status !== "NOT_APPLICABLE" ? (
              <p className="small muted" style={{ margin: 0 }}>
                ISO/IEC 27001:2022 Annex A: {control.iso27001.join("; ")}
              </p>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
