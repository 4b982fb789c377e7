"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, SubmitButton, TextAreaField } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { decideChecklistAction } from "@/lib/acquisitions/actions";
import { OUTCOMES, OUTCOME_LABELS, ZDecisionInput, type Outcome } from "@/lib/acquisitions/schemas";

export function DecisionForm({ id, version }: { id: string; version: number }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | "">("");
  const [conditions, setConditions] = useState("");
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          ZDecisionInput,
          { outcome, conditions },
          (input) => decideChecklistAction(id, version, input),
          () => {
            router.refresh();
            return "Outcome recorded. The checklist is now read-only.";
          },
        );
      }}
    >
      <FormMessage message={message} />
      <Field name="outcome" label="Outcome" as="fieldset" error={errors.outcome}>
        <div className="choices">
          {OUTCOMES.map((o) => (
            <label key={o}>
              <input type="radio" name="outcome" checked={outcome === o} onChange={() => setOutcome(o)} />
              {OUTCOME_LABELS[o]}
            </label>
          ))}
        </div>
      </Field>
      <TextAreaField
        name="conditions"
        label="Conditions or reasons"
        hint="Required unless approved outright."
        maxLength={5000}
        value={conditions}
        error={errors.conditions}
        onChange={setConditions}
      />
      <SubmitButton pending={pending} label="Record outcome" pendingLabel="Recording…" />
    </form>
  );
}
