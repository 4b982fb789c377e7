"use client";
import { useRef, useState, useTransition } from "react";
import { importClientsAction, previewClientImportAction } from "@/lib/clients/actions";
import type { ImportPreview } from "@/lib/clients/import-clients";
import { FormMessage } from "@/components/forms/form-message";

export function ClientImport() {
  const formRef = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (action: typeof previewClientImportAction, after: (p: ImportPreview) => void) => {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    startTransition(async () => {
      const result = await action(data);
      if (!result.ok) {
        setMessage({ kind: "error", text: result.message });
        return;
      }
      after(result.data);
    });
  };
  return (
    <div className="stack">
      <form
        ref={formRef}
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setMessage(null);
          submit(previewClientImportAction, setPreview);
        }}
      >
        <label htmlFor="clients-csv">CSV file</label>
        <input id="clients-csv" name="file" type="file" accept=".csv,text/csv" required onChange={() => setPreview(null)} />
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
                <ul>{preview.fileErrors.map((e) => <li key={e}>{e}</li>)}</ul>
              </div>
            ) : (
              <div className={`alert ${preview.ok ? "alert-ok" : "alert-error"}`} role={preview.ok ? "status" : "alert"}>
                {preview.ok
                  ? `Ready: ${preview.creates} new client(s), ${preview.updates} update(s). Nothing is written until you import.`
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
                      <th scope="col">API</th>
                      <th scope="col">Client</th>
                      <th scope="col">Result</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows.map((r) => (
                      <tr key={r.line}>
                        <td>{r.line}</td>
                        <td>{r.api}</td>
                        <td>{r.client}</td>
                        <td>
                          {r.errors.length ? (
                            <ul className="small" style={{ margin: 0, paddingLeft: "1rem", color: "var(--notmet)" }}>
                              {r.errors.map((e) => <li key={e}>{e}</li>)}
                            </ul>
                          ) : (
                            <span className="badge badge-MET">{r.action === "update" ? "will update" : "will create"}</span>
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
                    submit(importClientsAction, (p) => {
                      setPreview(null);
                      formRef.current?.reset();
                      setMessage({ kind: "ok", text: `Imported: ${p.creates} new client(s), ${p.updates} update(s).` });
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
