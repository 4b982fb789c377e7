"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, TextAreaField, describedBy, fieldIds, RecordOptions } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { recordTrainingSessionAction, updateTrainingSessionAction } from "@/lib/training/actions";
import { ZTrainingInput, type TTrainingInput } from "@/lib/training/schemas";

type Props = {
  initial: TTrainingInput;
  people: { id: string; name: string; email: string }[];
  documents: { id: string; title: string }[];
  mode: { kind: "create" } | { kind: "edit"; id: string; version: number };
};

export function TrainingForm({ initial, people, documents, mode }: Props) {
  const router = useRouter();
  const [value, setValue] = useState(initial);
  const [filter, setFilter] = useState("");
  const { errors, message, pending, submit } = useActionForm();
  const shown = people.filter((p) => !filter || `${p.name} ${p.email}`.toLowerCase().includes(filter.toLowerCase()));
  const text = (name: "topic" | "trainer", label: string) => (
    <InputField
      name={name}
      label={label}
      maxLength={200}
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
        const action =
          mode.kind === "create"
            ? recordTrainingSessionAction
            : (input: TTrainingInput) => updateTrainingSessionAction(mode.id, mode.version, input);
        submit(ZTrainingInput, value, action, (data) => {
          router.push(`/training/${data.id}`);
          router.refresh();
        });
      }}
    >
      <FormMessage message={message} />
      <fieldset className="fieldset">
        <legend>Session</legend>
        <div className="field-row">
          {text("topic", "Topic")}
          <InputField
            name="heldOn"
            label="Date"
            type="date"
            value={value.heldOn}
            error={errors.heldOn}
            onChange={(v) => setValue({ ...value, heldOn: v })}
          />
          {text("trainer", "Trainer")}
          <InputField
            name="durationMinutes"
            label="Duration (minutes)"
            type="number"
            min={5}
            max={1440}
            step={5}
            value={Number.isNaN(value.durationMinutes) ? "" : value.durationMinutes}
            error={errors.durationMinutes}
            onChange={(v) => setValue({ ...value, durationMinutes: v === "" ? Number.NaN : Number(v) })}
          />
        </div>
        <label className="row small">
          <input
            type="checkbox"
            checked={value.isApiSecurity}
            onChange={(e) => setValue({ ...value, isApiSecurity: e.target.checked })}
          />
          Counts as API-security training (for the 12-month coverage of API owners and reviewers)
        </label>
        <Field
          name="materialsId"
          label="Materials"
          error={errors.materialsId}
          hint="A document from the Policies library (upload slides there as “Training materials”)."
        >
          <select
            id={fieldIds("materialsId").id}
            value={value.materialsId}
            aria-describedby={describedBy("materialsId", true, !!errors.materialsId)}
            onChange={(e) => setValue({ ...value, materialsId: e.target.value })}
          >
            <RecordOptions records={documents} empty="None" label={(r) => r.title} />
          </select>
        </Field>
        <TextAreaField
          name="notes"
          label="Notes"
          rows={2}
          maxLength={5000}
          value={value.notes}
          error={errors.notes}
          onChange={(v) => setValue({ ...value, notes: v })}
        />
      </fieldset>
      <fieldset className="fieldset">
        <legend>Attendees ({value.attendeeIds.length})</legend>
        <div className="field">
          <label htmlFor="attendee-filter">Find people</label>
          <input id="attendee-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        <Field name="attendeeIds" label="Who attended" as="fieldset" error={errors.attendeeIds}>
          <div className="choices" style={{ maxHeight: 260, overflowY: "auto" }}>
            {shown.map((p) => (
              <label key={p.id}>
                <input
                  type="checkbox"
                  checked={value.attendeeIds.includes(p.id)}
                  onChange={(e) =>
                    setValue({
                      ...value,
                      attendeeIds: e.target.checked
                        ? [...value.attendeeIds, p.id]
                        : value.attendeeIds.filter((x) => x !== p.id),
                    })
                  }
                />
                {p.name}
              </label>
            ))}
            {shown.length === 0 ? <span className="muted small">Nobody matches.</span> : null}
          </div>
        </Field>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : mode.kind === "create" ? "Record session" : "Save changes"}
        </button>
        <Link className="btn" href={mode.kind === "create" ? "/training" : `/training/${mode.id}`}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
