"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, SubmitButton, fieldIds, RecordOptions } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { createServiceAccountAction } from "@/lib/tokens/actions";
import { ZServiceAccountInput } from "@/lib/tokens/schemas";

type Value = { name: string; role: "SYSTEM_OWNER" | "MANAGER" | "AUDITOR"; teamId: string };

export function ServiceAccountForm({ teams }: { teams: { id: string; name: string }[] }) {
  const router = useRouter();
  const [value, setValue] = useState<Value>({ name: "", role: "SYSTEM_OWNER", teamId: "" });
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(ZServiceAccountInput, value, createServiceAccountAction, () => {
          setValue({ ...value, name: "" });
          router.refresh();
          return "Service account created. Create a token for it below.";
        });
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        <InputField
          name="sa-name"
          label="Service account name"
          maxLength={100}
          value={value.name}
          error={errors.name}
          onChange={(v) => setValue({ ...value, name: v })}
        />
        <Field name="sa-role" label="Acts as" error={errors.role}>
          <select
            id={fieldIds("sa-role").id}
            value={value.role}
            onChange={(e) => setValue({ ...value, role: e.target.value as Value["role"] })}
          >
            <option value="SYSTEM_OWNER">System owner (registers and updates its team&apos;s APIs)</option>
            <option value="MANAGER">Manager</option>
            <option value="AUDITOR">Auditor (read only)</option>
          </select>
        </Field>
        <Field name="sa-team" label="Team" error={errors.teamId}>
          <select
            id={fieldIds("sa-team").id}
            value={value.teamId}
            aria-invalid={errors.teamId ? true : undefined}
            onChange={(e) => setValue({ ...value, teamId: e.target.value })}
          >
            <RecordOptions records={teams} empty="None" />
          </select>
        </Field>
      </div>
      <SubmitButton pending={pending} label="Create service account" pendingLabel="Creating…" />
    </form>
  );
}
