"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { assignReviewerAction } from "@/lib/reviews/actions";
import { RecordOptions } from "@/components/forms/field";

export function AssignReviewerForm({
  reviewId,
  current,
  people,
}: {
  reviewId: string;
  current: string | null;
  people: { id: string; name: string }[];
}) {
  const router = useRouter();
  const [value, setValue] = useState(current ?? "");
  const { message, pending, run } = useActionForm();
  return (
    <div className="row">
      <label htmlFor="reviewer-select" className="small">
        Reviewer
      </label>
      <select id="reviewer-select" value={value} onChange={(e) => setValue(e.target.value)} style={{ width: "auto" }}>
        <RecordOptions records={people} empty="Choose…" emptyDisabled />
      </select>
      <button
        type="button"
        className="btn btn-small"
        disabled={pending || !value || value === current}
        onClick={() =>
          run(
            () => assignReviewerAction(reviewId, value),
            () => router.refresh(),
          )
        }
      >
        Assign
      </button>
      <FormMessage message={message} />
    </div>
  );
}
