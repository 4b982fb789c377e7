"use client";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { changeOwnPasswordAction } from "@/lib/users/actions";

export function ChangePasswordForm() {
  const { errors, message, pending, run } = useActionForm();
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
        // The server alone judges a password (the current one, and the history of old ones).
        run(
          () => changeOwnPasswordAction(value),
          // Every session of the account has ended, this one too (a stolen copy of the cookie with it).
          () => window.location.assign("/login?notice=password-changed"),
        );
      }}
    >
      <FormMessage message={message} />
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
