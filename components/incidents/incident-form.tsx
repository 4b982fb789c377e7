"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import {
  INCIDENT_LABELS,
  INCIDENT_TYPES,
  SEVERITIES,
  SEVERITY_HELP,
  ZIncidentInput,
  type TIncidentInput,
} from "@/lib/incidents/schemas";
import { fieldErrorsOf } from "@/lib/input/validation";
import { reportIncidentAction, updateIncidentAction } from "@/lib/incidents/actions";

type Props = {
  initial: TIncidentInput;
  apis: { id: string; name: string }[];
  mode: { kind: "create" } | { kind: "edit"; id: string; version: number };
};

export function IncidentForm({ initial, apis, mode }: Props) {
  const router = useRouter();
  const [value, setValue] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const text = (name: "title" | "reportedBy" | "affectedClients", label: string, max: number) => (
    <Field name={name} label={label} error={errors[name]}>
      <input
        id={fieldIds(name).id}
        type="text"
        maxLength={max}
        value={value[name]}
        aria-invalid={errors[name] ? true : undefined}
        onChange={(e) => setValue({ ...value, [name]: e.target.value })}
      />
    </Field>
  );
  const area = (name: "description" | "rootCause" | "lessonsLearned", label: string, hint?: string) => (
    <Field name={name} label={label} error={errors[name]} hint={hint}>
      <textarea
        id={fieldIds(name).id}
        maxLength={20000}
        value={value[name]}
        aria-invalid={errors[name] ? true : undefined}
        onChange={(e) => setValue({ ...value, [name]: e.target.value })}
      />
    </Field>
  );
  const when = (name: "detectedAt" | "reportedAt", label: string) => (
    <Field name={name} label={label} error={errors[name]} hint="UTC">
      <input
        id={fieldIds(name).id}
        type="datetime-local"
        value={value[name]}
        aria-invalid={errors[name] ? true : undefined}
        onChange={(e) => setValue({ ...value, [name]: e.target.value })}
      />
    </Field>
  );
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = ZIncidentInput.safeParse(value);
        if (!parsed.success) {
          setErrors(fieldErrorsOf(parsed.error));
          setMessage("Some fields need attention. Nothing was saved.");
          return;
        }
        startTransition(async () => {
          const result =
            mode.kind === "create"
              ? await reportIncidentAction(parsed.data)
              : await updateIncidentAction(mode.id, mode.version, parsed.data);
          if (!result.ok) {
            setErrors(result.fieldErrors);
            setMessage(result.message);
            return;
          }
          router.push(`/incidents/${result.data.id}`);
          router.refresh();
        });
      }}
    >
      {message ? (
        <div className="alert alert-error" role="alert">
          {message}
        </div>
      ) : null}
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
          <div className="choices" style={{ maxHeight: 220, overflowY: "auto" }}>
            {apis.map((a) => (
              <label key={a.id}>
                <input
                  type="checkbox"
                  checked={value.apiIds.includes(a.id)}
                  onChange={(e) =>
                    setValue({
                      ...value,
                      apiIds: e.target.checked ? [...value.apiIds, a.id] : value.apiIds.filter((x) => x !== a.id),
                    })
                  }
                />
                {a.name}
              </label>
            ))}
          </div>
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
