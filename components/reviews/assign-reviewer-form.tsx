"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
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
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
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
          startTransition(async () => {
            const result = await assignReviewerAction(reviewId, value);
            setMessage(result.ok ? null : result.message);
            if (result.ok) router.refresh();
          })
        }
      >
        Assign
      </button>
      {message ? (
        <span className="small" role="alert" style={{ color: "var(--notmet)" }}>
          {message}
        </span>
      ) : null}
    </div>
  );
}
