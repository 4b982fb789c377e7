"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmDialog } from "@/components/forms/confirm-dialog";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { purgeQuarantineAction, retryQuarantineAction } from "@/lib/traffic/actions";

const n = (value: number) => value.toLocaleString("en-AU");

/** Read the quarantine again, or purge it (after a confirmation): each one audited write. */
export function QuarantineActions({ sourceId, held }: { sourceId: string; held: number }) {
  const router = useRouter();
  const { message, pending, run } = useActionForm();
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="stack" style={{ gap: "0.5rem" }}>
      <div className="row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={pending || !held}
          onClick={() =>
            run(
              () => retryQuarantineAction(sourceId),
              (r) => {
                router.refresh();
                return `${n(r.retried)} record(s) read again: ${n(r.stored)} stored, ${n(r.unrouted)} unrouted, ${n(r.stillQuarantined)} still unreadable.`;
              },
            )
          }
        >
          Read again
        </button>
        <button type="button" className="btn" disabled={pending || !held} onClick={() => setConfirming(true)}>
          Purge…
        </button>
      </div>
      <FormMessage message={message} />
      <ConfirmDialog
        open={confirming}
        title={`Purge ${n(held)} quarantined record(s)?`}
        confirmLabel="Purge"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          run(
            () => purgeQuarantineAction(sourceId),
            (r) => {
              router.refresh();
              return `${n(r.purged)} record(s) purged.${r.left ? ` ${n(r.left)} left: purge again to delete them.` : ""}`;
            },
          );
        }}
      >
        <p>
          The records are deleted and cannot be read again. The source still counts them as quarantined, and the audit
          log records the purge.
        </p>
      </ConfirmDialog>
    </div>
  );
}
