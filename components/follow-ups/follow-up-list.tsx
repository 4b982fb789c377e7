"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { updateFollowUpAction } from "@/lib/follow-ups/actions";
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
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const update = (status: "OPEN" | "DONE" | "CANCELLED") =>
    startTransition(async () => {
      const result = await updateFollowUpAction(followUp.id, followUp.version, { status, note });
      if (result.ok) router.refresh();
      else setError(result.message);
    });
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
        <div className="row" style={{ marginTop: "0.4rem" }}>
          <label className="sr-only" htmlFor={`note-${followUp.id}`}>
            What was done
          </label>
          <input
            id={`note-${followUp.id}`}
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
            Cancel follow-up
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
