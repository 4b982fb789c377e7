"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { InputField, SubmitButton, TextAreaField } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { acknowledgeAlertAction, setAlertRuleAction } from "@/lib/events/actions";
import { ZAcknowledge, ZAlertRule } from "@/lib/events/alert-schemas";

export function AcknowledgeForm({ alertId, label }: { alertId: string; label: string }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          ZAcknowledge,
          { note },
          (input) => acknowledgeAlertAction(alertId, input),
          () => {
            router.refresh();
            return "Acknowledged.";
          },
        );
      }}
    >
      <FormMessage message={message} />
      <TextAreaField
        name={`ack-${alertId}`}
        label={`What was found or done (${label})`}
        rows={2}
        maxLength={2000}
        value={note}
        error={errors.note}
        onChange={setNote}
      />
      <SubmitButton pending={pending} label="Acknowledge" pendingLabel="Saving…" />
    </form>
  );
}

export function AlertRuleForm({
  apiId,
  threshold,
  windowMinutes,
}: {
  apiId: string;
  threshold: number;
  windowMinutes: number;
}) {
  const router = useRouter();
  const [value, setValue] = useState({ threshold, windowMinutes });
  const { errors, message, pending, submit } = useActionForm();
  const num = (v: string) => (v === "" ? Number.NaN : Number(v));
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          ZAlertRule,
          value,
          (input) => setAlertRuleAction(apiId, input),
          () => {
            router.refresh();
            return "Alert rule saved.";
          },
        );
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        <InputField
          name="rule-threshold"
          label="Alert after more than (failures)"
          type="number"
          min={1}
          value={Number.isNaN(value.threshold) ? "" : value.threshold}
          error={errors.threshold}
          onChange={(v) => setValue({ ...value, threshold: num(v) })}
        />
        <InputField
          name="rule-window"
          label="Within (minutes)"
          type="number"
          min={1}
          value={Number.isNaN(value.windowMinutes) ? "" : value.windowMinutes}
          error={errors.windowMinutes}
          onChange={(v) => setValue({ ...value, windowMinutes: num(v) })}
        />
      </div>
      <SubmitButton pending={pending} label="Save alert rule" pendingLabel="Saving…" />
    </form>
  );
}
