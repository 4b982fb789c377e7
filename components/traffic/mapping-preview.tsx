"use client";
import { useState } from "react";
import { TextAreaField } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { previewFieldMappingAction } from "@/lib/traffic/actions";
import { MAX_SAMPLE_CHARS, type TFieldMapping } from "@/lib/traffic/field-mapping";
import type { MappingPreview } from "@/lib/traffic/source-mapping";

const COLUMNS = [
  ["time", "Time"],
  ["method", "Method"],
  ["path", "Path"],
  ["status", "Status"],
  ["outcome", "Outcome"],
  ["clientId", "Client"],
  ["principal", "User"],
  ["host", "Host"],
] as const;

/**
 * Tries a field mapping on records pasted as the gateway writes them, before any are sent: each record's
 * call as the mapping reads it, or why it cannot be read. Nothing is stored.
 */
export function MappingPreviewPanel({ mapping }: { mapping: TFieldMapping }) {
  const [sample, setSample] = useState("");
  const [preview, setPreview] = useState<MappingPreview | null>(null);
  const { errors, message, pending, run } = useActionForm();
  const mappingErrors = Object.keys(errors).filter((k) => k.startsWith("mapping."));
  return (
    <div className="stack" role="group" aria-labelledby="mapping-preview-h">
      <h3 id="mapping-preview-h">Try it on a sample</h3>
      <TextAreaField
        name="mapping-sample"
        label="Records as the gateway writes them"
        hint="One record, an array of records, a body that wraps them, or one record per line (NDJSON). Nothing is stored."
        rows={6}
        maxLength={MAX_SAMPLE_CHARS}
        value={sample}
        error={errors.sample}
        onChange={setSample}
      />
      <FormMessage
        message={
          mappingErrors.length
            ? { kind: "error", text: `The mapping needs attention first: ${errors[mappingErrors[0]!]![0]}` }
            : message?.kind === "error"
              ? message
              : null
        }
      />
      <div className="form-actions">
        <button
          type="button"
          className="btn"
          disabled={pending}
          onClick={() =>
            run(
              () => previewFieldMappingAction({ mapping, sample }),
              (data) => {
                setPreview(data);
              },
            )
          }
        >
          {pending ? "Reading…" : "Preview"}
        </button>
      </div>
      {preview ? (
        <div aria-live="polite" className="stack">
          <p className="small">
            {preview.rows.filter((r) => r.ok === true).length} of {preview.records} record
            {preview.records === 1 ? "" : "s"} read
            {preview.records > preview.rows.length ? ` (the first ${preview.rows.length} shown)` : ""}.
          </p>
          <div className="table-wrap">
            <table className="data">
              <caption className="sr-only">What the mapping reads from each record of the sample</caption>
              <thead>
                <tr>
                  <th scope="col">Record</th>
                  {COLUMNS.map(([key, label]) => (
                    <th key={key} scope="col">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, i) => (
                  <tr key={i}>
                    <th scope="row">{i + 1}</th>
                    {row.ok === true ? (
                      COLUMNS.map(([key]) => <td key={key}>{row.fields[key] || <span className="muted">—</span>}</td>)
                    ) : (
                      <td colSpan={COLUMNS.length} className="not-read">
                        {row.ok === "skip" ? "Skipped by design." : `Not read: ${row.reason}.`}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </div>
  );
}
