"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, describedBy, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { addAddendumAction } from "@/lib/reviews/actions";
import { ZAddendum } from "@/lib/reviews/schemas";

export function AddendumForm({ reviewId }: { reviewId: string }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const { errors, message, pending, submit } = useActionForm();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(
          ZAddendum,
          { text },
          (input) => addAddendumAction(reviewId, input),
          () => {
            setText("");
            router.refresh();
            return "Addendum added.";
          },
        );
      }}
    >
      <FormMessage message={message} />
      <Field
        name="addendum"
        label="Add a correction (addendum)"
        error={errors.text}
        hint="The signed review is kept as it was; the addendum is shown below it with your name and the time."
      >
        <textarea
          id={fieldIds("addendum").id}
          maxLength={5000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={errors.text ? true : undefined}
          aria-describedby={describedBy("addendum", true, !!errors.text)}
        />
      </Field>
      <div>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Adding…" : "Add addendum"}
        </button>
      </div>
    </form>
  );
}
