"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { addApiToCampaignAction } from "@/lib/reviews/actions";

export function AddToCampaignForm({ campaignId, quarter }: { campaignId: string; quarter: string }) {
  const router = useRouter();
  const [error, setError] = useState<string[] | undefined>();
  const [ok, setOk] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="row"
      style={{ alignItems: "flex-end" }}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const formEl = e.currentTarget;
        const apiName = String(new FormData(formEl).get("apiName") ?? "");
        startTransition(async () => {
          const result = await addApiToCampaignAction(campaignId, { apiName });
          if (!result.ok) {
            setOk(null);
            setError(result.fieldErrors.apiName ?? [result.message]);
            return;
          }
          setError(undefined);
          setOk(`Added ${apiName} to ${quarter}.`);
          formEl.reset();
          router.refresh();
        });
      }}
    >
      <Field name="apiName" label={`Add an API to ${quarter} by name`} error={error}>
        <input
          id={fieldIds("apiName").id}
          name="apiName"
          type="text"
          maxLength={120}
          aria-invalid={error ? true : undefined}
          style={{ minWidth: 280 }}
        />
      </Field>
      <button type="submit" className="btn" disabled={pending}>
        {pending ? "Adding…" : "Add to campaign"}
      </button>
      {ok ? (
        <span role="status" className="small">
          {ok}
        </span>
      ) : null}
    </form>
  );
}
