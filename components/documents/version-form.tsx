"use client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Field, InputField, SubmitButton, TextAreaField, describedBy, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { addDocumentVersionAction } from "@/lib/documents/actions";
import { ZVersionInput, type TVersionInput } from "@/lib/documents/schemas";

type Props = { documentId: string; maxBytes: number; extensions: string[]; today: string; nextYear: string };

/** Uploads a new draft version: a file (checked again on the server by its content) or a text body. */
export function VersionForm({ documentId, maxBytes, extensions, today, nextYear }: Props) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [source, setSource] = useState<"file" | "text">("file");
  const [value, setValue] = useState<TVersionInput>({
    label: "",
    changeNote: "",
    body: "",
    effectiveDate: today,
    nextReviewDate: nextYear,
  });
  const { errors, message, pending, submit } = useActionForm();
  const input = (
    name: "label" | "changeNote" | "effectiveDate" | "nextReviewDate",
    label: string,
    type: "text" | "date",
    hint?: string,
  ) => (
    <InputField
      name={name}
      label={label}
      type={type}
      hint={hint}
      maxLength={type === "text" ? (name === "label" ? 40 : 2000) : undefined}
      value={value[name]}
      error={errors[name]}
      onChange={(v) => setValue({ ...value, [name]: v })}
    />
  );
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const body = source === "text" ? value.body : "";
        const file = source === "file" ? fileRef.current?.files?.[0] : undefined;
        // What the schema cannot see: the file itself (checked again on the server by its content).
        const extra: Record<string, string[]> = {};
        if (source === "file" && !file) extra.file = ["Choose the file to upload."];
        if (file && file.size > maxBytes)
          extra.file = [
            `The file is ${(file.size / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(1)} MB.`,
          ];
        if (source === "text" && !body.trim()) extra.body = ["Write the text of this version."];
        submit(
          ZVersionInput,
          { ...value, body },
          (input) => {
            const form = new FormData();
            for (const [k, v] of Object.entries(input)) form.set(k, v);
            if (file) form.set("file", file);
            return addDocumentVersionAction(documentId, form);
          },
          (data) => {
            if (fileRef.current) fileRef.current.value = "";
            setValue({ ...value, label: "", changeNote: "", body: "" });
            router.refresh();
            return `Version ${data.number} uploaded. It takes effect once someone other than you approves it.`;
          },
          extra,
        );
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        {input("label", "Version label", "text", "Optional, e.g. 3.0")}
        {input("effectiveDate", "Effective date", "date")}
        {input("nextReviewDate", "Next review date", "date")}
      </div>
      {input("changeNote", "What changed", "text")}
      <Field name="source" label="Content" as="fieldset">
        <div className="choices">
          <label>
            <input type="radio" name="source" checked={source === "file"} onChange={() => setSource("file")} /> Upload a
            file
          </label>
          <label>
            <input type="radio" name="source" checked={source === "text"} onChange={() => setSource("text")} /> Write
            the text
          </label>
        </div>
      </Field>
      {source === "file" ? (
        <Field
          name="file"
          label="File"
          error={errors.file}
          hint={`${extensions.map((x) => `.${x}`).join(", ")} · up to ${Math.round(maxBytes / 1048576)} MB. The content is checked, not only the name.`}
        >
          <input
            ref={fileRef}
            id={fieldIds("file").id}
            type="file"
            accept={extensions.map((x) => `.${x}`).join(",")}
            aria-invalid={errors.file ? true : undefined}
            aria-describedby={describedBy("file", true, !!errors.file)}
          />
        </Field>
      ) : (
        <TextAreaField
          name="body"
          label="Text (Markdown)"
          rows={10}
          maxLength={200000}
          value={value.body}
          error={errors.body}
          onChange={(v) => setValue({ ...value, body: v })}
        />
      )}
      <SubmitButton pending={pending} label="Upload for approval" pendingLabel="Uploading…" />
    </form>
  );
}
