"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { approveDocumentVersionAction, withdrawDocumentVersionAction } from "@/lib/documents/actions";

/** Approve (with the approval date) or withdraw a draft version. */
export function VersionControls({
  versionId,
  number,
  canApprove,
  canWithdraw,
  today,
  uploadedOn,
}: {
  versionId: string;
  number: number;
  canApprove: boolean;
  canWithdraw: boolean;
  today: string;
  uploadedOn: string;
}) {
  const router = useRouter();
  const [approvedOn, setApprovedOn] = useState(today);
  const { errors, message, pending, run } = useActionForm();
  const refresh = () => router.refresh();
  // The date's own error is the message: it is the only field.
  const shown = errors.approvedOn?.[0] ? { kind: "error" as const, text: errors.approvedOn[0] } : message;
  const dateId = `approve-${versionId}`;
  return (
    <div className="stack" style={{ gap: "0.35rem" }}>
      {canApprove ? (
        <div className="row" style={{ gap: "0.35rem", flexWrap: "wrap" }}>
          <label htmlFor={dateId} className="small">
            Approved on
          </label>
          <input
            id={dateId}
            type="date"
            value={approvedOn}
            min={uploadedOn}
            max={today}
            onChange={(e) => setApprovedOn(e.target.value)}
            aria-invalid={errors.approvedOn ? true : undefined}
            style={{ width: "auto" }}
          />
          <button
            type="button"
            className="btn btn-primary btn-small"
            disabled={pending}
            onClick={() => run(() => approveDocumentVersionAction(versionId, { approvedOn }), refresh)}
          >
            Approve version {number}
          </button>
        </div>
      ) : null}
      {canWithdraw ? (
        <button
          type="button"
          className="btn btn-small"
          disabled={pending}
          onClick={() => run(() => withdrawDocumentVersionAction(versionId), refresh)}
        >
          Withdraw draft {number}
        </button>
      ) : null}
      <FormMessage message={shown} />
    </div>
  );
}
