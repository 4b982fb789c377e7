"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { StackedBar } from "@/components/charts/stacked-bar";
import { Field, InputField, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { previewEvidenceAction, requestEvidenceExportAction } from "@/lib/evidence/actions";
import type { EvidencePreview } from "@/lib/evidence/queries";
import { ZScopeInput } from "@/lib/evidence/scope";

type Kind = "quarter" | "year" | "dates";
type Control = { id: string; label: string; summary: string };

/**
 * The auditor's scope: a period, the controls and optionally teams. "Preview" counts what the bundle
 * would hold and lists the gaps; "Export" starts the build, which shows in the list below.
 */
export function ScopeForm({
  quarters,
  years,
  controls,
  teams,
  apis,
}: {
  quarters: string[];
  years: string[];
  controls: Control[];
  teams: { id: string; name: string }[];
  apis: { id: string; name: string }[];
}) {
  const router = useRouter();
  const [kind, setKind] = useState<Kind>("quarter");
  const [quarter, setQuarter] = useState(quarters[0] ?? "");
  const [year, setYear] = useState(years[0] ?? "");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [chosen, setChosen] = useState<string[]>(controls.map((c) => c.id));
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [limitedTo, setLimitedTo] = useState(apis);
  const [preview, setPreview] = useState<EvidencePreview | null>(null);
  const { errors, message, pending, submit, setMessage } = useActionForm();
  const period = kind === "quarter" ? quarter : kind === "year" ? year : from || to ? `${from}..${to}` : "";
  const scope = { period, controls: chosen, teamIds, apiIds: limitedTo.map((a) => a.id) };
  const dateErrors: Record<string, string[]> =
    kind === "dates" && (!from || !to) ? { period: ["Choose both the first and the last day."] } : {};
  const noControls: Record<string, string[]> = chosen.length ? {} : { controls: ["Choose at least one control."] };
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));

  return (
    <div className="stack">
      <form
        className="form"
        noValidate
        aria-labelledby="scope-h"
        onSubmit={(e) => {
          e.preventDefault();
          const which = ((e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
          if (which === "export") {
            submit(
              ZScopeInput,
              scope,
              requestEvidenceExportAction,
              () => {
                router.refresh();
                return "Export started: it is building below. You can leave this page and come back.";
              },
              { ...dateErrors, ...noControls },
            );
          } else {
            submit(
              ZScopeInput,
              scope,
              previewEvidenceAction,
              (data) => {
                setPreview(data);
              },
              { ...dateErrors, ...noControls },
            );
          }
        }}
        onChange={() => {
          setPreview(null);
          setMessage(null);
        }}
      >
        <h2 id="scope-h">Scope</h2>
        <FormMessage message={message} />
        <Field
          name="period-kind"
          label="Period"
          as="fieldset"
          error={errors.period}
          hint="Quarters follow the installation's quarter convention (Settings)."
        >
          <div className="choices" style={{ display: "flex", gap: "1rem", flexWrap: "wrap" }}>
            {(["quarter", "year", "dates"] as const).map((k) => (
              <label key={k}>
                <input type="radio" name="period-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{" "}
                {k === "quarter" ? "A quarter" : k === "year" ? "A year" : "Dates"}
              </label>
            ))}
          </div>
          <div className="field-row">
            {kind === "quarter" ? (
              <Field name="quarter" label="Quarter">
                <select id={fieldIds("quarter").id} value={quarter} onChange={(e) => setQuarter(e.target.value)}>
                  {quarters.map((q) => (
                    <option key={q}>{q}</option>
                  ))}
                </select>
              </Field>
            ) : kind === "year" ? (
              <Field name="year" label="Year">
                <select id={fieldIds("year").id} value={year} onChange={(e) => setYear(e.target.value)}>
                  {years.map((y) => (
                    <option key={y}>{y}</option>
                  ))}
                </select>
              </Field>
            ) : (
              <>
                <InputField name="from" label="First day" type="date" value={from} onChange={setFrom} />
                <InputField name="to" label="Last day" type="date" value={to} onChange={setTo} />
              </>
            )}
          </div>
        </Field>
        <Field
          name="controls"
          label="Controls"
          as="fieldset"
          error={errors.controls}
          hint="The ISM network-API controls the bundle judges the inventory against."
        >
          <div className="choices">
            {controls.map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  checked={chosen.includes(c.id)}
                  onChange={(e) => setChosen(toggle(chosen, c.id, e.target.checked))}
                />{" "}
                <strong style={{ whiteSpace: "nowrap" }}>{c.label}</strong>{" "}
                <span className="small muted">{c.summary}</span>
              </label>
            ))}
          </div>
        </Field>
        <Field name="teams" label="Teams" as="fieldset" error={errors.teamIds} hint="None chosen means every team.">
          <div className="choices" style={{ display: "flex", gap: "0.4rem 1.2rem", flexWrap: "wrap" }}>
            {teams.map((t) => (
              <label key={t.id}>
                <input
                  type="checkbox"
                  checked={teamIds.includes(t.id)}
                  onChange={(e) => setTeamIds(toggle(teamIds, t.id, e.target.checked))}
                />{" "}
                {t.name}
              </label>
            ))}
          </div>
        </Field>
        {limitedTo.length ? (
          <Field
            name="apis"
            label="APIs"
            as="fieldset"
            error={errors.apiIds}
            hint="Only these APIs' records (with any teams chosen above). Remove one to widen the scope."
          >
            <ul className="row" style={{ listStyle: "none", padding: 0, flexWrap: "wrap", gap: "0.5rem" }}>
              {limitedTo.map((a) => (
                <li key={a.id} className="badge badge-neutral">
                  {a.name}
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={`Remove ${a.name} from the scope`}
                    onClick={() => {
                      setLimitedTo(limitedTo.filter((x) => x.id !== a.id));
                      setPreview(null);
                    }}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </Field>
        ) : null}
        <div className="form-actions">
          <button type="submit" name="intent" value="preview" className="btn" disabled={pending}>
            {pending ? "Working…" : "Preview"}
          </button>
          <button type="submit" name="intent" value="export" className="btn btn-primary" disabled={pending}>
            Export bundle
          </button>
        </div>
      </form>
      {preview ? <PreviewPanel preview={preview} /> : null}
    </div>
  );
}

function PreviewPanel({ preview }: { preview: EvidencePreview }) {
  return (
    <section className="card" aria-labelledby="preview-h" aria-live="polite">
      <h2 id="preview-h">
        Preview: {preview.scope.period} ({preview.scope.from} to {preview.scope.until})
      </h2>
      <div className="grid grid-2">
        <div>
          <h3>What the bundle will hold</h3>
          <table className="data">
            <caption className="sr-only">Records the bundle will hold</caption>
            <tbody>
              {preview.counts.map((c) => (
                <tr key={c.label}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    {c.label}
                  </th>
                  <td style={{ textAlign: "right", fontVariantNumeric: "tabular-nums" }}>
                    {c.value.toLocaleString("en-AU")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>Controls</h3>
          <ul className="stack" style={{ listStyle: "none", padding: 0, gap: "0.6rem" }}>
            {preview.controls.map((c) => (
              <li key={c.id}>
                <strong>{c.label}</strong> <span className="small muted">applies to {c.applicable}</span>
                <StackedBar
                  label={`${c.label}: met, not met and cannot be judged`}
                  segments={[
                    { label: "met", value: c.met, color: "var(--met)" },
                    { label: "not met", value: c.notMet, color: "var(--notmet)" },
                    { label: "cannot be judged", value: c.cannotJudge, color: "var(--judge)" },
                  ]}
                />
                <span className="small">
                  {c.met} met · {c.notMet} not met · {c.cannotJudge} cannot be judged
                </span>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <h3>Gaps</h3>
      {preview.gaps.length ? (
        <ul>
          {preview.gaps.map((g) => (
            <li key={g.text}>
              {g.text}
              {g.items.length ? (
                <span className="small muted">
                  {" "}
                  {g.items.slice(0, 5).join("; ")}
                  {g.items.length > 5 ? "; …" : ""}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>No gaps: every in-scope API has a signed-off review and meets each applicable control.</p>
      )}
    </section>
  );
}
