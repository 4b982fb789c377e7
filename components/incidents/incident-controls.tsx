"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { INCIDENT_LABELS, INCIDENT_STATUSES, ZAdvance, ZEntry, type IncidentStatus } from "@/lib/incidents/schemas";
import { addIncidentEntryAction, advanceIncidentAction } from "@/lib/incidents/actions";

/**
 * The next status, with when it happened (UTC, default now: a containment noticed late is recorded at
 * the time it happened, and the server keeps the steps in order).
 */
export function AdvanceButton({ id, version, status }: { id: string; version: number; status: IncidentStatus }) {
  const router = useRouter();
  const { errors, message, pending, submit } = useActionForm();
  const next = INCIDENT_STATUSES[INCIDENT_STATUSES.indexOf(status) + 1];
  if (!next) return null;
  const label = INCIDENT_LABELS.status[next].toLowerCase();
  return (
    <form
      className="stack"
      style={{ gap: "0.3rem" }}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const at = String(new FormData(e.currentTarget).get("at") ?? "");
        submit(
          ZAdvance,
          { at },
          (input) => advanceIncidentAction(id, version, input),
          () => router.refresh(),
        );
      }}
    >
      <Field name="advance-at" label={`When it was ${label} (UTC; empty = now)`} error={errors.at}>
        <input
          id={fieldIds("advance-at").id}
          name="at"
          type="datetime-local"
          aria-invalid={errors.at ? true : undefined}
          aria-describedby={errors.at ? fieldIds("advance-at").error : undefined}
        />
      </Field>
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          Mark {label}
        </button>
      </div>
      <FormMessage message={message} />
    </form>
  );
}

export function EntryForm({ id, closed }: { id: string; closed: boolean }) {
  const router = useRouter();
  const [kind, setKind] = useState<"note" | "notification">("note");
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const formEl = e.currentTarget;
        const form = new FormData(formEl);
        const input = {
          kind,
          at: String(form.get("at") ?? ""),
          recipient: String(form.get("recipient") ?? ""),
          text: String(form.get("text") ?? ""),
        };
        submit(
          ZEntry,
          input,
          (entry) => addIncidentEntryAction(id, entry),
          () => {
            formEl.reset();
            router.refresh();
            return "Added to the timeline.";
          },
        );
      }}
    >
      <h3>{closed ? "Add an addendum" : "Add to the timeline"}</h3>
      <FormMessage message={message} />
      {!closed ? (
        <div className="choices" role="radiogroup" aria-label="Entry kind">
          <label>
            <input type="radio" checked={kind === "note"} onChange={() => setKind("note")} /> What was done
          </label>
          <label>
            <input type="radio" checked={kind === "notification"} onChange={() => setKind("notification")} /> A
            notification made
          </label>
        </div>
      ) : null}
      <div className="field-row">
        <Field name="entry-at" label="When (UTC)" error={errors.at}>
          <input
            id={fieldIds("entry-at").id}
            name="at"
            type="datetime-local"
            defaultValue={new Date().toISOString().slice(0, 16)}
            aria-invalid={errors.at ? true : undefined}
          />
        </Field>
        {kind === "notification" && !closed ? (
          <Field name="entry-recipient" label="Who was notified" error={errors.recipient}>
            <input
              id={fieldIds("entry-recipient").id}
              name="recipient"
              type="text"
              maxLength={200}
              list="recipients"
              aria-invalid={errors.recipient ? true : undefined}
            />
          </Field>
        ) : null}
      </div>
      <datalist id="recipients">
        <option value="CISO" />
        <option value="ASD ReportCyber" />
        <option value="Affected parties" />
      </datalist>
      <Field name="entry-text" label="What happened" error={errors.text}>
        <textarea
          id={fieldIds("entry-text").id}
          name="text"
          maxLength={5000}
          aria-invalid={errors.text ? true : undefined}
        />
      </Field>
      <div>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Adding…" : "Add entry"}
        </button>
      </div>
    </form>
  );
}
