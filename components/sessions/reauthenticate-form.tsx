"use client";
import { useRouter } from "next/navigation";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { reauthenticateAction } from "@/lib/auth/session-actions";

/** Confirms the password before a sensitive step (a token, a change of second factors); the page then shows that step. */
export function ReauthenticateForm({ minutes, purpose = "Creating a token" }: { minutes: number; purpose?: string }) {
  const router = useRouter();
  const { errors, message, pending, run } = useActionForm();
  return (
    <form
      className="form"
      style={{ maxWidth: "28rem" }}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const password = String(new FormData(e.currentTarget).get("password") ?? "");
        run(
          () => reauthenticateAction(password),
          () => {
            router.refresh();
            return "Confirmed.";
          },
        );
      }}
    >
      <p className="muted">
        {purpose} needs a sign-in within the last {minutes} minutes. Enter your password to confirm it is you.
      </p>
      <FormMessage message={message} />
      <Field name="password" label="Your password" error={errors.password}>
        <input
          id={fieldIds("password").id}
          name="password"
          type="password"
          autoComplete="current-password"
          maxLength={1024}
          required
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={errors.password ? fieldIds("password").error : undefined}
        />
      </Field>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? "Checking…" : "Confirm"}
      </button>
    </form>
  );
}
