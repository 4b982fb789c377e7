"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, fieldIds, RecordOptions } from "@/components/forms/field";
import type { ActionResult } from "@/lib/next/action-result";

/** Adds a follow-up action; `submit` is the server action of the review or incident, bound to its id. */
export function AddActionForm({
  submit,
  people,
  heading = "Add an action",
}: {
  submit: (input: unknown) => Promise<ActionResult<{ id: string }>>;
  people: { id: string; name: string }[];
  heading?: string;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const formEl = e.currentTarget;
        const form = new FormData(formEl);
        const input = {
          description: String(form.get("description") ?? ""),
          ownerId: String(form.get("ownerId") ?? ""),
          dueOn: String(form.get("dueOn") ?? ""),
        };
        startTransition(async () => {
          const result = await submit(input);
          if (!result.ok) {
            setErrors(Object.keys(result.fieldErrors).length ? result.fieldErrors : { description: [result.message] });
            return;
          }
          setErrors({});
          formEl.reset();
          router.refresh();
        });
      }}
    >
      <h3>{heading}</h3>
      <Field name="action-description" label="What has to be done" error={errors.description}>
        <input
          id={fieldIds("action-description").id}
          name="description"
          type="text"
          maxLength={1000}
          aria-invalid={errors.description ? true : undefined}
        />
      </Field>
      <div className="field-row">
        <Field name="action-owner" label="Who" error={errors.ownerId}>
          <select
            id={fieldIds("action-owner").id}
            name="ownerId"
            defaultValue=""
            aria-invalid={errors.ownerId ? true : undefined}
          >
            <RecordOptions records={people} empty="Choose…" emptyDisabled />
          </select>
        </Field>
        <Field name="action-due" label="Due" error={errors.dueOn}>
          <input
            id={fieldIds("action-due").id}
            name="dueOn"
            type="date"
            aria-invalid={errors.dueOn ? true : undefined}
          />
        </Field>
      </div>
      <div>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Adding…" : "Add action"}
        </button>
      </div>
    </form>
  );
}
