"use client";
import { useRouter } from "next/navigation";
import { Field, fieldIds, RecordOptions } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { ZNewFollowUp } from "@/lib/follow-ups/schemas";
import type { ActionResult } from "@/lib/next/action-result";

/** Adds a follow-up; `submit` is the server action of the review or incident, bound to its id. */
export function AddFollowUpForm({
  submit: action,
  people,
  heading = "Add a follow-up",
}: {
  submit: (input: unknown) => Promise<ActionResult<{ id: string }>>;
  people: { id: string; name: string }[];
  heading?: string;
}) {
  const router = useRouter();
  const { errors, message, pending, submit } = useActionForm();
  const invalid = (field: string) => (errors[field] ? true : undefined);
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
        submit(ZNewFollowUp, input, action, (_data, added) => {
          formEl.reset();
          router.refresh();
          return `Added the follow-up “${added.description}”.`;
        });
      }}
    >
      <h3>{heading}</h3>
      <FormMessage message={message} />
      <Field name="follow-up-description" label="What has to be done" error={errors.description}>
        <input
          id={fieldIds("follow-up-description").id}
          name="description"
          type="text"
          maxLength={1000}
          aria-invalid={invalid("description")}
        />
      </Field>
      <div className="field-row">
        <Field name="follow-up-owner" label="Who" error={errors.ownerId}>
          <select id={fieldIds("follow-up-owner").id} name="ownerId" defaultValue="" aria-invalid={invalid("ownerId")}>
            <RecordOptions records={people} empty="Choose…" emptyDisabled />
          </select>
        </Field>
        <Field name="follow-up-due" label="Due" error={errors.dueOn}>
          <input id={fieldIds("follow-up-due").id} name="dueOn" type="date" aria-invalid={invalid("dueOn")} />
        </Field>
      </div>
      <div>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Adding…" : "Add follow-up"}
        </button>
      </div>
    </form>
  );
}
