"use client";
import { useState } from "react";
import { startAuthentication } from "@simplewebauthn/browser";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { giveSecondFactorAction, passkeySignInOptionsAction } from "@/lib/auth/mfa-actions";

/** The second step of signing in: a code from the app, a passkey, or a recovery code. */
export function SecondFactorForm({ kinds }: { kinds: { totp: boolean; passkey: boolean; recovery: boolean } }) {
  const { errors, message, pending, run } = useActionForm();
  const [mode, setMode] = useState<"totp" | "recovery">(kinds.totp ? "totp" : "recovery");
  const done = () => {
    window.location.assign("/");
    return "Signed in.";
  };
  return (
    <div className="stack">
      <FormMessage message={message} />
      {kinds.passkey ? (
        <button
          type="button"
          className="btn btn-primary"
          disabled={pending}
          onClick={() =>
            run(async () => {
              const options = await passkeySignInOptionsAction();
              if (!options.ok) return options;
              try {
                const response = await startAuthentication({ optionsJSON: options.data });
                return giveSecondFactorAction({ kind: "passkey", response });
              } catch (error) {
                return {
                  ok: false as const,
                  code: "VALIDATION",
                  message: `The browser did not use a passkey: ${(error as Error).message}`,
                  fieldErrors: {},
                };
              }
            }, done)
          }
        >
          Use a passkey
        </button>
      ) : null}
      {kinds.totp || kinds.recovery ? (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const code = String(new FormData(e.currentTarget).get("code") ?? "");
            run(() => giveSecondFactorAction({ kind: mode, code }), done);
          }}
        >
          <Field
            name="code"
            label={mode === "totp" ? "Code from your authenticator app" : "Recovery code"}
            error={errors.code}
          >
            <input
              key={mode}
              id={fieldIds("code").id}
              name="code"
              type="text"
              inputMode={mode === "totp" ? "numeric" : "text"}
              autoComplete="one-time-code"
              maxLength={mode === "totp" ? 10 : 40}
              required
              autoFocus
              aria-invalid={errors.code ? true : undefined}
              aria-describedby={errors.code ? fieldIds("code").error : undefined}
            />
          </Field>
          <button type="submit" className={kinds.passkey ? "btn" : "btn btn-primary"} disabled={pending}>
            {pending ? "Checking…" : "Verify"}
          </button>
        </form>
      ) : null}
      {kinds.totp && kinds.recovery ? (
        <button
          type="button"
          className="btn btn-link small"
          onClick={() => setMode(mode === "totp" ? "recovery" : "totp")}
        >
          {mode === "totp" ? "Use a recovery code instead" : "Use the authenticator app instead"}
        </button>
      ) : null}
    </div>
  );
}
