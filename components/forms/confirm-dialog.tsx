"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A native modal dialog: focus moves into it and stays there, Escape cancels (onCancel), and focus
 * returns to the control that opened it. What it holds (a form, a summary and buttons) is the caller's.
 */
export function ModalDialog({
  open,
  title,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
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
      {children}
    </dialog>
  );
}

/**
 * Asks before something that cannot be undone (a sign-off, a revocation), with a summary of what will
 * happen.
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
  return (
    <ModalDialog open={open} title={title} onCancel={onCancel}>
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
    </ModalDialog>
  );
}
