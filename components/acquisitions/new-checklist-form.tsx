"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  Field,
  InputField,
  SubmitButton,
  TextAreaField,
  describedBy,
  fieldIds,
  RecordOptions,
} from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { startChecklistAction } from "@/lib/acquisitions/actions";
import { ZChecklistInput, type TChecklistInput } from "@/lib/acquisitions/schemas";

export function NewChecklistForm({ reviewers, today }: { reviewers: { id: string; name: string }[]; today: string }) {
  const router = useRouter();
  const [value, setValue] = useState<TChecklistInput>({
    vendor: "",
    product: "",
    description: "",
    requestedOn: today,
    reviewerId: "",
  });
  const { errors, message, pending, submit } = useActionForm();
  const text = (name: "vendor" | "product", label: string) => (
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
        submit(ZChecklistInput, value, startChecklistAction, (data) => router.push(`/acquisitions/${data.id}`));
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        {text("vendor", "Vendor")}
        {text("product", "Product or service")}
        <InputField
          name="requestedOn"
          label="Date"
          type="date"
          value={value.requestedOn}
          error={errors.requestedOn}
          onChange={(v) => setValue({ ...value, requestedOn: v })}
        />
        <Field name="reviewerId" label="Reviewer (manager or admin)" error={errors.reviewerId}>
          <select
            id={fieldIds("reviewerId").id}
            value={value.reviewerId}
            aria-invalid={errors.reviewerId ? true : undefined}
            aria-describedby={describedBy("reviewerId", false, !!errors.reviewerId)}
            onChange={(e) => setValue({ ...value, reviewerId: e.target.value })}
          >
            <RecordOptions records={reviewers} empty="Choose…" />
          </select>
        </Field>
      </div>
      <TextAreaField
        name="description"
        label="What it is for"
        hint="Optional: the business need, and which APIs it would call or expose."
        rows={2}
        maxLength={5000}
        value={value.description}
        error={errors.description}
        onChange={(v) => setValue({ ...value, description: v })}
      />
      <SubmitButton pending={pending} label="Start checklist" pendingLabel="Starting…" />
    </form>
  );
}
