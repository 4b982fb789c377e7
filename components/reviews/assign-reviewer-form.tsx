"use client";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { RecordOptions } from "@/components/forms/field";
import type { ActionResult } from "@/lib/next/action-result";
import { assignUnassignedReviewsAction } from "@/lib/reviews/actions";

/**
 * Choose a reviewer and assign: one review (its page), or every unassigned review of a campaign at once.
 * `assign` is the server action bound to what is assigned; `done` says what happened.
 */
export function AssignReviewerForm<T>({
  current = null,
  people,
  assign,
  label = "Reviewer",
  buttonLabel = "Assign",
  done,
}: {
  current?: string | null;
  people: { id: string; name: string }[];
  assign: (reviewerId: string) => Promise<ActionResult<T>>;
  label?: string;
  buttonLabel?: string;
  done?: (data: T) => string;
}) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(current ?? "");
  const { message, pending, run } = useActionForm();
  return (
    <div className="row">
      <label htmlFor={id} className="small">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => setValue(e.target.value)} style={{ width: "auto" }}>
        <RecordOptions records={people} empty="Choose…" emptyDisabled />
      </select>
      <button
        type="button"
        className="btn btn-small"
        disabled={pending || !value || value === current}
        onClick={() =>
          run(
            () => assign(value),
            (data) => {
              router.refresh();
              return done?.(data);
            },
          )
        }
      >
        {buttonLabel}
      </button>
      <FormMessage message={message} />
    </div>
  );
}

/** Every review of a campaign without a reviewer, to one person (the API owners' own are left out). */
export function AssignUnassignedForm({
  campaignId,
  unassigned,
  people,
}: {
  campaignId: string;
  unassigned: number;
  people: { id: string; name: string }[];
}) {
  if (unassigned === 0) return <p className="small muted">Every review of this campaign has a reviewer.</p>;
  return (
    <div className="stack" style={{ gap: "0.3rem" }}>
      <p className="small" style={{ margin: 0 }}>
        <span className="badge badge-NOT_MET">{unassigned}</span> review{unassigned === 1 ? " has" : "s have"} no
        reviewer.
      </p>
      <AssignReviewerForm
        people={people}
        label="Assign unassigned reviews to"
        buttonLabel={`Assign ${unassigned} unassigned review${unassigned === 1 ? "" : "s"}`}
        assign={(reviewerId) => assignUnassignedReviewsAction(campaignId, reviewerId)}
        done={({ assigned, ownApis }) =>
          `Assigned ${assigned} review${assigned === 1 ? "" : "s"}.${
            ownApis.length ? ` Left unassigned because this person owns the API: ${ownApis.join(", ")}.` : ""
          }`
        }
      />
    </div>
  );
}
