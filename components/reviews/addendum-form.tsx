"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { addAddendumAction } from "@/lib/reviews/actions";

export function AddendumForm({ reviewId }: { reviewId: string }) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [error, setError] = useState<string[] | undefined>();
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await addAddendumAction(reviewId, { text });
          if (!result.ok) {
            setError(result.fieldErrors.text ?? [result.message]);
            return;
          }
          setText("");
          setError(undefined);
          router.refresh();
        });
      }}
    >
      <Field
        name="addendum"
        label="Add a correction (addendum)"
        error={error}
        hint="The signed review is kept as it was; the addendum is shown below it with your name and the time."
      >
        <textarea
          id={fieldIds("addendum").id}
          maxLength={5000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined}
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
