"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { createTeamAction } from "@/lib/teams/actions";
import { ZTeamCreate } from "@/lib/teams/schemas";
import { fieldErrorsOf } from "@/lib/validation";
import { FormMessage } from "@/components/forms/form-message";

export function CreateTeamForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const formEl = e.currentTarget;
        const form = new FormData(formEl);
        const parsed = ZTeamCreate.safeParse({ name: String(form.get("name") ?? ""), description: String(form.get("description") ?? "") });
        if (!parsed.success) {
          setErrors(fieldErrorsOf(parsed.error));
          setMessage({ kind: "error", text: "Some fields need attention. Nothing was saved." });
          return;
        }
        startTransition(async () => {
          const result = await createTeamAction(parsed.data);
          if (!result.ok) {
            setErrors(result.fieldErrors);
            setMessage({ kind: "error", text: result.message });
            return;
          }
          setErrors({});
          setMessage({ kind: "ok", text: `Created team ${parsed.data.name}.` });
          formEl.reset();
          router.refresh();
        });
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        <Field name="team-name" label="Team name" error={errors.name}>
          <input id={fieldIds("team-name").id} name="name" type="text" maxLength={80} aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? fieldIds("team-name").error : undefined} />
        </Field>
        <Field name="team-description" label="Description" error={errors.description}>
          <input id={fieldIds("team-description").id} name="description" type="text" maxLength={500} />
        </Field>
      </div>
      <div>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Creating…" : "Create team"}
        </button>
      </div>
    </form>
  );
}
