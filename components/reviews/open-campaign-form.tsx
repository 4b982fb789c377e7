"use client";
import { useRouter } from "next/navigation";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { openCampaignAction } from "@/lib/reviews/actions";
import { ZOpenCampaign } from "@/lib/reviews/schemas";

const LISTED = 10;

/** The quarter is chosen from those without a campaign; the outcome says which reviews have no reviewer. */
export function OpenCampaignForm({ quarters, suggested }: { quarters: string[]; suggested: string }) {
  const router = useRouter();
  const { errors, message, pending, submit } = useActionForm();
  if (quarters.length === 0) return <p className="muted">Every recent quarter already has a campaign.</p>;
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
          const opened = `Opened ${input.quarter}: ${data.reviews} reviews created.`;
          if (!data.unassigned.length) return `${opened} Every review has a reviewer.`;
          const names = data.unassigned.slice(0, LISTED).join(", ");
          const more = data.unassigned.length > LISTED ? ` and ${data.unassigned.length - LISTED} more` : "";
          return `${opened} ${data.unassigned.length} have no reviewer yet, because their team has no manager other than the API’s owner: ${names}${more}. Assign them with “Assign unassigned reviews” below.`;
        });
      }}
    >
      <Field name="quarter" label="Quarter" error={errors.quarter}>
        <select
          id={fieldIds("quarter").id}
          name="quarter"
          defaultValue={quarters.includes(suggested) ? suggested : quarters[0]}
          aria-invalid={errors.quarter ? true : undefined}
          aria-describedby={errors.quarter ? fieldIds("quarter").error : undefined}
        >
          {quarters.map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>
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
