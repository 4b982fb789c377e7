"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { updateReviewActionAction } from "@/lib/reviews/actions";
import type { ReviewDetail } from "@/lib/reviews/queries";

const STATUS = { OPEN: "Open", DONE: "Done", CANCELLED: "Cancelled" } as const;

/** Follow-up actions of a review or an incident, with done/cancel for their owners. */
export function ReviewActions({
  actions,
  editableIds,
  emptyText,
}: {
  actions: ReviewDetail["actions"];
  editableIds: string[];
  emptyText?: string;
}) {
  if (actions.length === 0)
    return (
      <p className="muted">
        {emptyText ??
          "No actions. Revoke and change-scope decisions create actions for the API’s owner when the review is signed off."}
      </p>
    );
  return (
    <ul className="stack" style={{ listStyle: "none", padding: 0, margin: 0, gap: "0.6rem" }}>
      {actions.map((a) => (
        <ActionItem key={a.id} action={a} editable={editableIds.includes(a.id)} />
      ))}
    </ul>
  );
}

function ActionItem({ action, editable }: { action: ReviewDetail["actions"][number]; editable: boolean }) {
  const router = useRouter();
  const [note, setNote] = useState(action.completedNote);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const update = (status: "OPEN" | "DONE" | "CANCELLED") =>
    startTransition(async () => {
      const result = await updateReviewActionAction(action.id, action.version, { status, note });
      if (result.ok) router.refresh();
      else setError(result.message);
    });
  return (
    <li className="card" style={{ padding: "0.6rem 0.8rem" }} aria-label={`Action: ${action.description}`}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span>{action.description}</span>
        <span
          className={`badge ${action.status === "DONE" ? "badge-MET" : action.status === "OPEN" ? "badge-CANNOT_JUDGE" : "badge-NOT_APPLICABLE"}`}
        >
          {STATUS[action.status]}
        </span>
      </div>
      <div className="small muted">
        Owner {action.owner ?? "unassigned"} · due {action.dueOn || "—"}
        {action.completedAt ? ` · closed ${action.completedAt.slice(0, 10)}` : ""}
        {action.completedNote ? ` · “${action.completedNote}”` : ""}
      </div>
      {editable && action.status === "OPEN" ? (
        <div className="row" style={{ marginTop: "0.4rem" }}>
          <label className="sr-only" htmlFor={`note-${action.id}`}>
            What was done
          </label>
          <input
            id={`note-${action.id}`}
            type="text"
            placeholder="What was done"
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            style={{ flex: 1, minWidth: 220 }}
          />
          <button type="button" className="btn btn-small btn-primary" disabled={pending} onClick={() => update("DONE")}>
            Mark done
          </button>
          <button type="button" className="btn btn-small" disabled={pending} onClick={() => update("CANCELLED")}>
            Cancel action
          </button>
        </div>
      ) : null}
      {error ? (
        <div className="small" role="alert" style={{ color: "var(--notmet)" }}>
          {error}
        </div>
      ) : null}
    </li>
  );
}
