"use client";
import { useRouter } from "next/navigation";
import { Field, fieldIds } from "@/components/forms/field";
import { createTeamAction } from "@/lib/teams/actions";
import { ZTeamCreate } from "@/lib/teams/schemas";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";

export function CreateTeamForm() {
  const router = useRouter();
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const formEl = e.currentTarget;
        const form = new FormData(formEl);
        submit(
          ZTeamCreate,
          { name: String(form.get("name") ?? ""), description: String(form.get("description") ?? "") },
          createTeamAction,
          (_data, input) => {
            formEl.reset();
            router.refresh();
            return `Created team ${input.name}.`;
          },
        );
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        <Field name="team-name" label="Team name" error={errors.name}>
          <input
            id={fieldIds("team-name").id}
            name="name"
            type="text"
            maxLength={80}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? fieldIds("team-name").error : undefined}
          />
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
