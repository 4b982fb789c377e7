"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { updateFollowUpAction } from "@/lib/follow-ups/actions";
import { ZFollowUpUpdate } from "@/lib/follow-ups/schemas";
import type { FollowUpView } from "@/lib/follow-ups/queries";

const STATUS = { OPEN: "Open", DONE: "Done", CANCELLED: "Cancelled" } as const;

/** The follow-ups of a review or an incident, with done/cancel for their owners. */
export function FollowUpList({
  followUps,
  editableIds,
  emptyText,
}: {
  followUps: FollowUpView[];
  editableIds: string[];
  emptyText?: string;
}) {
  if (followUps.length === 0)
    return (
      <p className="muted">
        {emptyText ??
          "No follow-ups. Revoke and change-scope decisions create follow-ups for the API’s owner when the review is signed off."}
      </p>
    );
  return (
    <ul className="stack" style={{ listStyle: "none", padding: 0, margin: 0, gap: "0.6rem" }}>
      {followUps.map((f) => (
        <FollowUpItem key={f.id} followUp={f} editable={editableIds.includes(f.id)} />
      ))}
    </ul>
  );
}

function FollowUpItem({ followUp, editable }: { followUp: FollowUpView; editable: boolean }) {
  const router = useRouter();
  const [note, setNote] = useState(followUp.completedNote);
  const { errors, message, pending, submit } = useActionForm();
  const noteId = `note-${followUp.id}`;
  const update = (status: "DONE" | "CANCELLED") =>
    submit(
      ZFollowUpUpdate,
      { status, note },
      (input) => updateFollowUpAction(followUp.id, followUp.version, input),
      () => router.refresh(),
    );
  return (
    <li className="card" style={{ padding: "0.6rem 0.8rem" }} aria-label={`Follow-up: ${followUp.description}`}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span>{followUp.description}</span>
        <span
          className={`badge ${followUp.status === "DONE" ? "badge-MET" : followUp.status === "OPEN" ? "badge-CANNOT_JUDGE" : "badge-NOT_APPLICABLE"}`}
        >
          {STATUS[followUp.status]}
        </span>
      </div>
      <div className="small muted">
        Owner {followUp.owner ?? "unassigned"} · due {followUp.dueOn || "—"}
        {followUp.completedAt ? ` · closed ${followUp.completedAt.slice(0, 10)}` : ""}
        {followUp.completedNote ? ` · “${followUp.completedNote}”` : ""}
      </div>
      {editable && followUp.status === "OPEN" ? (
        <form
          className="stack"
          style={{ marginTop: "0.4rem", gap: "0.3rem" }}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            update("DONE");
          }}
        >
          <FormMessage message={message} />
          <div className="row">
            <label className="sr-only" htmlFor={noteId}>
              What was done
            </label>
            <input
              id={noteId}
              type="text"
              placeholder="What was done (or why it is cancelled)"
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              aria-invalid={errors.note ? true : undefined}
              aria-describedby={errors.note ? `${noteId}-error` : undefined}
              style={{ flex: 1, minWidth: 220 }}
            />
            <button type="submit" className="btn btn-small btn-primary" disabled={pending}>
              Mark done
            </button>
            <button type="button" className="btn btn-small" disabled={pending} onClick={() => update("CANCELLED")}>
              Cancel follow-up
            </button>
          </div>
          {errors.note ? (
            <p id={`${noteId}-error`} className="small" style={{ color: "var(--notmet)", margin: 0 }}>
              {errors.note[0]}
            </p>
          ) : null}
        </form>
      ) : null}
    </li>
  );
}
