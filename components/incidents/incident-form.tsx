"use client";
import { RecordPicker } from "@/components/forms/record-picker";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, TextAreaField, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import {
  INCIDENT_LABELS,
  INCIDENT_TYPES,
  SEVERITIES,
  SEVERITY_HELP,
  ZIncidentInput,
  type TIncidentInput,
} from "@/lib/incidents/schemas";
import { reportIncidentAction, updateIncidentAction } from "@/lib/incidents/actions";

type Props = {
  initial: TIncidentInput;
  apis: { id: string; name: string }[];
  mode: { kind: "create" } | { kind: "edit"; id: string; version: number };
};

export function IncidentForm({ initial, apis, mode }: Props) {
  const router = useRouter();
  const [value, setValue] = useState(initial);
  const { errors, message, pending, submit } = useActionForm();
  const text = (name: "title" | "reportedBy" | "affectedClients", label: string, max: number) => (
    <InputField
      name={name}
      label={label}
      maxLength={max}
      value={value[name]}
      error={errors[name]}
      onChange={(v) => setValue({ ...value, [name]: v })}
    />
  );
  const area = (name: "description" | "rootCause" | "lessonsLearned", label: string, hint?: string) => (
    <TextAreaField
      name={name}
      label={label}
      hint={hint}
      maxLength={20000}
      value={value[name]}
      error={errors[name]}
      onChange={(v) => setValue({ ...value, [name]: v })}
    />
  );
  const when = (name: "detectedAt" | "reportedAt", label: string) => (
    <InputField
      name={name}
      label={label}
      hint="UTC"
      type="datetime-local"
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
        submit(
          ZIncidentInput,
          value,
          (input) =>
            mode.kind === "create" ? reportIncidentAction(input) : updateIncidentAction(mode.id, mode.version, input),
          (data) => {
            router.push(`/incidents/${data.id}`);
            router.refresh();
          },
        );
      }}
    >
      <FormMessage message={message} />
      <fieldset className="fieldset">
        <legend>What happened</legend>
        {text("title", "Title", 200)}
        <div className="field-row">
          <Field name="type" label="Type" error={errors.type}>
            <select
              id={fieldIds("type").id}
              value={value.type}
              onChange={(e) => setValue({ ...value, type: e.target.value as TIncidentInput["type"] })}
            >
              {INCIDENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {INCIDENT_LABELS.type[t]}
                </option>
              ))}
            </select>
          </Field>
          {when("detectedAt", "Detected at")}
          {when("reportedAt", "Reported at")}
          {text("reportedBy", "Reported by", 200)}
        </div>
        <Field name="severity" label="Severity" as="fieldset" error={errors.severity}>
          <div className="stack" style={{ gap: "0.25rem" }}>
            {SEVERITIES.map((s) => (
              <label key={s} className="row small">
                <input
                  type="radio"
                  name="severity"
                  checked={value.severity === s}
                  onChange={() => setValue({ ...value, severity: s })}
                />
                {SEVERITY_HELP[s]}
              </label>
            ))}
          </div>
        </Field>
        {area("description", "Description")}
      </fieldset>
      <fieldset className="fieldset">
        <legend>What it affected</legend>
        <Field name="apiIds" label="Affected APIs" as="fieldset" error={errors.apiIds}>
          <RecordPicker
            label="Affected APIs"
            records={apis}
            selected={value.apiIds}
            onChange={(apiIds) => setValue({ ...value, apiIds })}
            invalid={!!errors.apiIds}
          />
        </Field>
        {text("affectedClients", "Affected clients", 2000)}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Afterwards</legend>
        {area("rootCause", "Root cause", "Needed before the incident can be closed.")}
        {area("lessonsLearned", "Lessons learned", "Needed before the incident can be closed.")}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : mode.kind === "create" ? "Report incident" : "Save changes"}
        </button>
        <Link className="btn" href={mode.kind === "create" ? "/incidents" : `/incidents/${mode.id}`}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
