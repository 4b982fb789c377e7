"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { createDocumentAction } from "@/lib/documents/actions";
import { DOCUMENT_KINDS, DOCUMENT_KIND_LABELS, ZDocumentInput, type TDocumentInput } from "@/lib/documents/schemas";

export function NewDocumentForm() {
  const router = useRouter();
  const [value, setValue] = useState<TDocumentInput>({ kind: "ACCESS_CONTROL_POLICY", title: "", description: "" });
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(ZDocumentInput, value, createDocumentAction, (data) => router.push(`/documents/${data.id}`));
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        <Field name="kind" label="Kind" error={errors.kind}>
          <select id={fieldIds("kind").id} value={value.kind} onChange={(e) => setValue({ ...value, kind: e.target.value as TDocumentInput["kind"] })}>
            {DOCUMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {DOCUMENT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field name="title" label="Title" error={errors.title}>
          <input id={fieldIds("title").id} type="text" maxLength={200} value={value.title} aria-invalid={errors.title ? true : undefined} aria-describedby={errors.title ? fieldIds("title").error : undefined} onChange={(e) => setValue({ ...value, title: e.target.value })} />
        </Field>
      </div>
      <Field name="description" label="Description" error={errors.description} hint="Optional: what the document covers.">
        <textarea id={fieldIds("description").id} maxLength={2000} rows={2} value={value.description} onChange={(e) => setValue({ ...value, description: e.target.value })} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : "Register document"}
        </button>
      </div>
    </form>
  );
}
