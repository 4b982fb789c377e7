"use client";
import { useRouter } from "next/navigation";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { addApiToCampaignAction } from "@/lib/reviews/actions";
import { ZAddToCampaign } from "@/lib/reviews/schemas";

export function AddToCampaignForm({ campaignId, quarter }: { campaignId: string; quarter: string }) {
  const router = useRouter();
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="row"
      style={{ alignItems: "flex-end" }}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const formEl = e.currentTarget;
        const apiName = String(new FormData(formEl).get("apiName") ?? "");
        submit(
          ZAddToCampaign,
          { apiName },
          (input) => addApiToCampaignAction(campaignId, input),
          (_data, input) => {
            formEl.reset();
            router.refresh();
            return `Added ${input.apiName} to ${quarter}.`;
          },
        );
      }}
    >
      <Field name="apiName" label={`Add an API to ${quarter} by name`} error={errors.apiName}>
        <input
          id={fieldIds("apiName").id}
          name="apiName"
          type="text"
          maxLength={120}
          aria-invalid={errors.apiName ? true : undefined}
          aria-describedby={errors.apiName ? fieldIds("apiName").error : undefined}
          style={{ minWidth: 280 }}
        />
      </Field>
      <button type="submit" className="btn" disabled={pending}>
        {pending ? "Adding…" : "Add to campaign"}
      </button>
      <div aria-live="polite" style={{ flexBasis: "100%" }}>
        <FormMessage message={message} />
      </div>
    </form>
  );
}
