"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * Asks before something that cannot be undone (a sign-off, a revocation), with a summary of what will
 * happen. A native modal dialog: focus moves into it and stays there, Escape cancels, and focus returns
 * to the control that opened it.
 */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="stack" style={{ gap: "0.5rem" }}>
        {children}
      </div>
      <div className="row" style={{ justifyContent: "flex-end", marginTop: "1rem" }}>
        <button type="button" className="btn" onClick={onCancel} autoFocus>
          Go back
        </button>
        <button type="button" className="btn btn-primary" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
