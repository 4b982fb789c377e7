"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteApiAction } from "@/lib/apis/actions";

export function DeleteApiButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  if (!confirming) {
    return (
      <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div className="alert alert-warn stack" role="alertdialog" aria-labelledby="delete-title" style={{ gap: "0.5rem" }}>
      <strong id="delete-title">Delete “{name}”?</strong>
      <span className="small">
        It leaves the inventory and the dashboards. Its record and history are kept in the audit log.
      </span>
      {error ? (
        <span role="alert" className="small">
          {error}
        </span>
      ) : null}
      <div className="row">
        <button
          type="button"
          className="btn btn-danger"
          disabled={pending}
          autoFocus
          onClick={() =>
            startTransition(async () => {
              const result = await deleteApiAction(id);
              if (result.ok) {
                router.push("/apis?deleted=1");
                router.refresh();
              } else setError(result.message);
            })
          }
        >
          {pending ? "Deleting…" : "Yes, delete"}
        </button>
        <button type="button" className="btn" onClick={() => setConfirming(false)}>
          Keep it
        </button>
      </div>
    </div>
  );
}
