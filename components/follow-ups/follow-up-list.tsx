"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { ConfirmDialog } from "@/components/forms/confirm-dialog";
import { scopeText } from "@/lib/follow-ups/grant-action";
import { useActionForm } from "@/components/forms/use-action-form";
import { updateFollowUpAction } from "@/lib/follow-ups/actions";
import { ZFollowUpUpdate } from "@/lib/follow-ups/schemas";
import type { FollowUpView } from "@/lib/follow-ups/follow-up-view";

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
        <FollowUpItem key={`${f.id}-${f.version}`} followUp={f} editable={editableIds.includes(f.id)} />
      ))}
    </ul>
  );
}

function FollowUpItem({ followUp, editable }: { followUp: FollowUpView; editable: boolean }) {
  const router = useRouter();
  const [note, setNote] = useState(followUp.completedNote);
  const live = followUp.grant?.client ?? null;
  const [scopes, setScopes] = useState(live?.scopes.join(", ") ?? "");
  const [canModify, setCanModify] = useState(live?.canModify ?? false);
  const [confirming, setConfirming] = useState(false);
  const { errors, message, pending, submit } = useActionForm();
  const noteId = `note-${followUp.id}`;
  const action = live ? followUp.grant!.decision : null;
  const update = (status: "DONE" | "CANCELLED") =>
    submit(
      ZFollowUpUpdate,
      {
        status,
        note,
        ...(status === "DONE" && action === "CHANGE_SCOPE"
          ? { grant: { scopes: splitScopes(scopes), canModify } }
          : {}),
      },
      (input) => updateFollowUpAction(followUp.id, followUp.version, input),
      () => router.refresh(),
    );
  const state = followUp.overdue ? "Overdue" : STATUS[followUp.status];
  return (
    <li className="card" style={{ padding: "0.6rem 0.8rem" }} aria-label={`Follow-up: ${followUp.description}`}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span>{followUp.description}</span>
        <span className={`badge ${STATUS_BADGE[followUp.overdue ? "OVERDUE" : followUp.status]}`}>{state}</span>
      </div>
      <div className="small muted">
        Owner {followUp.owner ?? "unassigned"} · due {followUp.dueOn || "—"}
        {followUp.completedAt ? ` · closed ${followUp.completedAt.slice(0, 10)}` : ""}
        {followUp.completedNote ? ` · “${followUp.completedNote}”` : ""}
      </div>
      {followUp.appliedChange ? (
        <p className="small" style={{ margin: "0.2rem 0 0" }}>
          {followUp.appliedChange}
        </p>
      ) : null}
      {editable && followUp.status === "OPEN" ? (
        <form
          className="stack"
          style={{ marginTop: "0.4rem", gap: "0.3rem" }}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (action === "REVOKE" && note.trim()) setConfirming(true);
            else update("DONE");
          }}
        >
          <FormMessage message={message} />
          {followUp.grant ? <GrantActionHint grant={followUp.grant} /> : null}
          {action === "CHANGE_SCOPE" ? (
            <div className="row">
              <label className="small" htmlFor={`${noteId}-scopes`}>
                New scopes (comma-separated)
              </label>
              <input
                id={`${noteId}-scopes`}
                type="text"
                value={scopes}
                onChange={(e) => setScopes(e.target.value)}
                aria-invalid={errors.grant || errors["grant.scopes"] ? true : undefined}
                style={{ flex: 1, minWidth: 160 }}
              />
              <label className="small row" style={{ gap: "0.3rem" }}>
                <input type="checkbox" checked={canModify} onChange={(e) => setCanModify(e.target.checked)} />
                May modify data
              </label>
            </div>
          ) : null}
          {errors.grant || errors["grant.scopes"] ? (
            <p className="small" role="alert" style={{ color: "var(--notmet)", margin: 0 }}>
              {(errors.grant ?? errors["grant.scopes"])![0]}
            </p>
          ) : null}
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
              {action === "REVOKE"
                ? "Revoke and mark done"
                : action === "CHANGE_SCOPE"
                  ? "Apply and mark done"
                  : "Mark done"}
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
          <ConfirmDialog
            open={confirming}
            title={`Revoke ${live?.name ?? "the client"}’s access?`}
            confirmLabel="Revoke access"
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              update("DONE");
            }}
          >
            <p>
              The grant is removed from the API now, and this follow-up is marked done with your note. The grant as it
              was stays in the review’s snapshot and the audit log.
            </p>
          </ConfirmDialog>
        </form>
      ) : null}
    </li>
  );
}

const STATUS_BADGE = {
  OPEN: "badge-CANNOT_JUDGE",
  OVERDUE: "badge-NOT_MET",
  DONE: "badge-MET",
  CANCELLED: "badge-NOT_APPLICABLE",
} as const;

const splitScopes = (text: string): string[] =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** What completing the follow-up will do to the live grant. */
function GrantActionHint({ grant }: { grant: NonNullable<FollowUpView["grant"]> }) {
  if (!grant.client)
    return (
      <p className="small muted">The client’s grant has already been removed; marking this done changes nothing.</p>
    );
  return (
    <p className="small" style={{ margin: 0 }}>
      {grant.decision === "REVOKE"
        ? `Marking this done removes ${grant.client.name}’s access to the API.`
        : `${grant.client.name} now has: ${scopeText(grant.client)}. Marking this done sets the scope below.`}
    </p>
  );
}
