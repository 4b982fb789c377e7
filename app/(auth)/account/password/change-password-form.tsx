"use client";
import { useState, useTransition } from "react";
import { Field, fieldIds } from "@/components/forms/field";
import { changeOwnPasswordAction } from "@/lib/users/actions";

export function ChangePasswordForm() {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const input = (name: "current" | "next" | "confirm", autoComplete: string) => (
    <input
      id={fieldIds(name).id}
      name={name}
      type="password"
      autoComplete={autoComplete}
      maxLength={1024}
      aria-invalid={errors[name] ? true : undefined}
      aria-describedby={errors[name] ? fieldIds(name).error : undefined}
    />
  );
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const value = {
          current: String(form.get("current") ?? ""),
          next: String(form.get("next") ?? ""),
          confirm: String(form.get("confirm") ?? ""),
        };
        startTransition(async () => {
          const result = await changeOwnPasswordAction(value);
          if (result.ok) {
            window.location.assign("/");
            return;
          }
          setErrors(result.fieldErrors);
          setMessage(result.message);
        });
      }}
    >
      {message ? (
        <div className="alert alert-error" role="alert">
          {message}
        </div>
      ) : null}
      <Field name="current" label="Current password" error={errors.current}>
        {input("current", "current-password")}
      </Field>
      <Field name="next" label="New password (at least 12 characters)" error={errors.next}>
        {input("next", "new-password")}
      </Field>
      <Field name="confirm" label="New password again" error={errors.confirm}>
        {input("confirm", "new-password")}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? "Saving…" : "Change password"}
      </button>
    </form>
  );
}
