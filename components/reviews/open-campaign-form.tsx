"use client";
import { useRouter } from "next/navigation";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { openCampaignAction } from "@/lib/reviews/actions";
import { ZOpenCampaign } from "@/lib/reviews/schemas";

export function OpenCampaignForm({ suggested }: { suggested: string }) {
  const router = useRouter();
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="row"
      style={{ alignItems: "flex-end" }}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const quarter = String(new FormData(e.currentTarget).get("quarter") ?? "");
        submit(ZOpenCampaign, { quarter, extraApiIds: [] }, openCampaignAction, (data, input) => {
          router.refresh();
          return `Opened ${input.quarter}: ${data.reviews} reviews created.`;
        });
      }}
    >
      <Field name="quarter" label="Quarter" error={errors.quarter}>
        <input
          id={fieldIds("quarter").id}
          name="quarter"
          type="text"
          defaultValue={suggested}
          maxLength={7}
          style={{ maxWidth: 140 }}
          aria-invalid={errors.quarter ? true : undefined}
          aria-describedby={errors.quarter ? fieldIds("quarter").error : undefined}
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
