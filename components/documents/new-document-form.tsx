"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, SubmitButton, TextAreaField, fieldIds } from "@/components/forms/field";
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
          <select
            id={fieldIds("kind").id}
            value={value.kind}
            onChange={(e) => setValue({ ...value, kind: e.target.value as TDocumentInput["kind"] })}
          >
            {DOCUMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {DOCUMENT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <InputField
          name="title"
          label="Title"
          maxLength={200}
          value={value.title}
          error={errors.title}
          onChange={(v) => setValue({ ...value, title: v })}
        />
      </div>
      <TextAreaField
        name="description"
        label="Description"
        hint="Optional: what the document covers."
        rows={2}
        maxLength={2000}
        value={value.description}
        error={errors.description}
        onChange={(v) => setValue({ ...value, description: v })}
      />
      <SubmitButton pending={pending} label="Register document" pendingLabel="Saving…" />
    </form>
  );
}
