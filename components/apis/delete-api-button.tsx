"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { deleteApiAction } from "@/lib/apis/actions";

export function DeleteApiButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const { message, pending, run } = useActionForm();
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
      <FormMessage message={message} />
      <div className="row">
        <button
          type="button"
          className="btn btn-danger"
          disabled={pending}
          autoFocus
          onClick={() =>
            run(
              () => deleteApiAction(id),
              () => {
                router.push("/apis?deleted=1");
                router.refresh();
              },
            )
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
