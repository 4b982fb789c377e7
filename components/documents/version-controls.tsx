"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
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
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (
    work: () => Promise<{ ok: true } | { ok: false; message: string; fieldErrors: Record<string, string[]> }>,
  ) =>
    startTransition(async () => {
      const result = await work();
      if (!result.ok) setError(result.fieldErrors.approvedOn?.[0] ?? result.message);
      else {
        setError(null);
        router.refresh();
      }
    });
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
            aria-invalid={error ? true : undefined}
            style={{ width: "auto" }}
          />
          <button
            type="button"
            className="btn btn-primary btn-small"
            disabled={pending}
            onClick={() => run(() => approveDocumentVersionAction(versionId, { approvedOn }))}
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
          onClick={() => run(() => withdrawDocumentVersionAction(versionId))}
        >
          Withdraw draft {number}
        </button>
      ) : null}
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
