"use client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { importIsmCatalogAction, previewIsmCatalogAction } from "@/lib/ism/actions";
import type { IsmCatalogPreview } from "@/lib/ism/import-ism-catalog";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";

const LIST_LIMIT = 25;

export function IsmCatalogImport() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [preview, setPreview] = useState<IsmCatalogPreview | null>(null);
  const { message, pending, run, setMessage } = useActionForm();

  /** The catalog goes to the server, which alone judges it (the hook shows its outcome). */
  const send = (
    action: typeof previewIsmCatalogAction | typeof importIsmCatalogAction,
    after: (data: IsmCatalogPreview & { imported?: boolean }) => string | void,
  ) => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    run(() => action(data), after, form);
  };

  return (
    <div className="stack">
      <form
        ref={formRef}
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setMessage(null);
          setPreview(null);
          send(previewIsmCatalogAction, (p) => void setPreview(p));
        }}
      >
        <label htmlFor="catalog-file">ISM catalog (OSCAL JSON)</label>
        <input
          id="catalog-file"
          name="catalog"
          type="file"
          accept="application/json,.json"
          required
          onChange={() => setPreview(null)}
        />
        <button type="submit" className="btn" disabled={pending}>
          {pending && !preview ? "Reading…" : "Preview changes"}
        </button>
      </form>
      <div aria-live="polite">
        <FormMessage message={message} />
        {preview ? (
          <div className="stack" style={{ gap: "0.6rem" }}>
            <p>
              <strong>{preview.title}</strong>, release <strong>{preview.release}</strong> (
              {preview.controlCount.toLocaleString("en-AU")} controls).{" "}
              {preview.alreadyImported
                ? "This exact file has already been imported: importing it again changes nothing."
                : preview.current
                  ? `Compared with ${preview.current.release}, the release in use:`
                  : "No catalog is in use yet; this one will be."}
              {!preview.alreadyImported && !preview.becomesCurrent
                ? " It is older than the release in use, so it will be stored for reference but not used."
                : ""}
            </p>
            {preview.diff && !preview.alreadyImported ? (
              <div className="grid grid-3">
                <ChangeList
                  title={`${preview.diff.added.length} added`}
                  relevant={preview.relevant}
                  items={preview.diff.added.map((c) => ({ id: c.controlId, text: c.statement }))}
                />
                <ChangeList
                  title={`${preview.diff.removed.length} removed`}
                  relevant={preview.relevant}
                  items={preview.diff.removed.map((c) => ({ id: c.controlId, text: c.statement }))}
                />
                <ChangeList
                  title={`${preview.diff.revised.length} revised`}
                  relevant={preview.relevant}
                  items={preview.diff.revised.map((r) => ({ id: r.after.controlId, text: r.changes.join("; ") }))}
                />
              </div>
            ) : null}
            {!preview.alreadyImported ? (
              <div>
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={pending}
                  onClick={() =>
                    send(importIsmCatalogAction, (r) => {
                      setPreview(null);
                      formRef.current?.reset();
                      router.refresh();
                      return r.imported
                        ? `Imported ISM ${r.release}${r.becomesCurrent ? "; it is now in use" : ""}. What it changed stays viewable: “What ${r.release} changed” under ISM catalog releases.`
                        : "Nothing changed: this file was already imported.";
                    })
                  }
                >
                  {pending ? "Importing…" : `Import ${preview.release}`}
                </button>
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}

function ChangeList({
  title,
  items,
  relevant,
}: {
  title: string;
  items: { id: string; text: string }[];
  relevant: string[];
}) {
  return (
    <div>
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p className="muted small">None</p>
      ) : (
        <ul className="small" style={{ paddingLeft: "1rem", margin: 0 }}>
          {items.slice(0, LIST_LIMIT).map((i) => (
            <li key={i.id}>
              <strong>{i.id.toUpperCase()}</strong>
              {relevant.includes(i.id) ? (
                <span className="badge badge-CANNOT_JUDGE" style={{ marginLeft: 4 }}>
                  applies to your APIs
                </span>
              ) : null}
              : {i.text.length > 140 ? `${i.text.slice(0, 140)}…` : i.text}
            </li>
          ))}
          {items.length > LIST_LIMIT ? <li className="muted">…and {items.length - LIST_LIMIT} more</li> : null}
        </ul>
      )}
    </div>
  );
}
