"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { openCampaignAction } from "@/lib/reviews/actions";
import { FormMessage } from "@/components/forms/form-message";

export function OpenCampaignForm({ suggested }: { suggested: string }) {
  const router = useRouter();
  const [error, setError] = useState<string[] | undefined>();
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="row"
      style={{ alignItems: "flex-end" }}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const quarter = String(new FormData(e.currentTarget).get("quarter") ?? "");
        startTransition(async () => {
          const result = await openCampaignAction({ quarter, extraApiIds: [] });
          if (!result.ok) {
            setError(result.fieldErrors.quarter);
            setMessage({ kind: "error", text: result.message });
            return;
          }
          setError(undefined);
          setMessage({ kind: "ok", text: `Opened ${quarter}: ${result.data.reviews} reviews created.` });
          router.refresh();
        });
      }}
    >
      <Field name="quarter" label="Quarter" error={error}>
        <input
          id={fieldIds("quarter").id}
          name="quarter"
          type="text"
          defaultValue={suggested}
          maxLength={7}
          style={{ maxWidth: 140 }}
          aria-invalid={error ? true : undefined}
        />
      </Field>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? "Opening…" : "Open campaign"}
      </button>
      <div aria-live="polite" style={{ flexBasis: "100%" }}>
        <FormMessage message={message} />
      </div>
    </form>
  );
}
