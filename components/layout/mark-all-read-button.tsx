"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { markAllReadAction } from "@/lib/notifications/actions";

export function MarkAllReadButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      className="btn btn-small"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          await markAllReadAction();
          router.refresh();
        })
      }
    >
      {pending ? "Marking…" : "Mark all read"}
    </button>
  );
}
