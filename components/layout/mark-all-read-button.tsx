"use client";
import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { markAllReadAction } from "@/lib/notifications/actions";

export function MarkAllReadButton() {
  const router = useRouter();
  const { message, pending, run } = useActionForm();
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={pending}
        onClick={() =>
          run(
            () => markAllReadAction(),
            () => router.refresh(),
          )
        }
      >
        {pending ? "Marking…" : "Mark all read"}
      </button>
      <FormMessage message={message} />
    </>
  );
}
