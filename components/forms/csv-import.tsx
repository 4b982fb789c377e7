"use client";
import { useRef, useState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/next/action-result";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";

export type CsvPreviewBase = {
  ok: boolean;
  fileErrors: string[];
  rows: { line: number; errors: string[] }[];
  invalid: number;
};
type Row<P extends CsvPreviewBase> = P["rows"][number];

type Props<P extends CsvPreviewBase> = {
  inputId: string;
  /** The file input's label and accepted types (CSV by default). */
  fileLabel?: string;
  accept?: string;
  previewAction: (form: FormData) => Promise<ActionResult<P>>;
  importAction: (form: FormData) => Promise<ActionResult<P>>;
  /** Column headings after "Line", and each row's cells for them. */
  headings: string[];
  cells: (row: Row<P>) => string[];
  /** What a valid row will do ("will create"…). */
  outcome: (row: Row<P>) => string;
  ready: (preview: P) => string;
  done: (preview: P) => string;
  /** Further fields of the form (choices the file is read with), sent with it. */
  children?: ReactNode;
};

/**
 * The dry-run import every CSV upload uses: check the file, show each row's outcome or errors, and
 * offer the import only when every row is valid (the server checks again and imports all or nothing).
 */
export function CsvImport<P extends CsvPreviewBase>({
  inputId,
  fileLabel = "CSV file",
  accept = ".csv,text/csv",
  previewAction,
  importAction,
  headings,
  cells,
  outcome,
  ready,
  done,
  children,
}: Props<P>) {
  const formRef = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<P | null>(null);
  const { message, pending, run, setMessage } = useActionForm();
  /** The file goes to the server, which alone judges it; the outcome shows above the rows. */
  const send = (action: (form: FormData) => Promise<ActionResult<P>>, after: (p: P) => string | void) => {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    run(() => action(data), after, formRef.current);
  };
  return (
    <div className="stack">
      <form
        ref={formRef}
        className="row"
        // Any change to the file or a choice makes the preview shown stale: check again before importing.
        onChange={() => setPreview(null)}
        onSubmit={(e) => {
          e.preventDefault();
          setMessage(null);
          send(previewAction, (p) => void setPreview(p));
        }}
      >
        <label htmlFor={inputId}>{fileLabel}</label>
        <input id={inputId} name="file" type="file" accept={accept} required />
        {children}
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Checking…" : "Check file"}
        </button>
      </form>
      <div aria-live="polite" className="stack">
        <FormMessage message={message} />
        {preview ? (
          <>
            {preview.fileErrors.length ? (
              <div className="alert alert-error" role="alert">
                <strong>The file cannot be imported:</strong>
                <ul>
                  {preview.fileErrors.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              </div>
            ) : (
              <div
                className={`alert ${preview.ok ? "alert-ok" : "alert-error"}`}
                role={preview.ok ? "status" : "alert"}
              >
                {preview.ok
                  ? `Ready: ${ready(preview)} Nothing is written until you import.`
                  : `${preview.invalid} of ${preview.rows.length} rows have errors. Fix them and check the file again; nothing will be imported while any row is wrong.`}
              </div>
            )}
            {preview.rows.length ? (
              <div className="table-wrap">
                <table className="data">
                  <caption className="sr-only">Rows of the file</caption>
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      {headings.map((h) => (
                        <th key={h} scope="col">
                          {h}
                        </th>
                      ))}
                      <th scope="col">Result</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows.map((r: Row<P>) => (
                      <tr key={r.line}>
                        <td>{r.line}</td>
                        {cells(r).map((c, i) => (
                          <td key={i}>{c}</td>
                        ))}
                        <td>
                          {r.errors.length ? (
                            <ul className="small" style={{ margin: 0, paddingLeft: "1rem", color: "var(--notmet)" }}>
                              {r.errors.map((e) => (
                                <li key={e}>{e}</li>
                              ))}
                            </ul>
                          ) : (
                            <span className="badge badge-MET">{outcome(r)}</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {preview.ok ? (
              <div>
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={pending}
                  onClick={() =>
                    send(importAction, (p) => {
                      setPreview(null);
                      formRef.current?.reset();
                      return `Imported: ${done(p)}`;
                    })
                  }
                >
                  {pending ? "Importing…" : `Import ${preview.rows.length} row(s)`}
                </button>
              </div>
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}
