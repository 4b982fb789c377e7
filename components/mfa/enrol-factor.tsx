"use client";
import { useState } from "react";
import { startRegistration } from "@simplewebauthn/browser";
import { Field, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import {
  confirmPasskeyEnrolmentAction,
  confirmTotpEnrolmentAction,
  startPasskeyEnrolmentAction,
  startTotpEnrolmentAction,
} from "@/lib/auth/mfa-actions";
import { RecoveryCodes } from "@/components/mfa/recovery-codes";

type Totp = { secret: string; svg: string };

/**
 * Adding a second factor: an authenticator app (scan the QR code or type the key, then give the first
 * code) or a passkey (the browser's own prompt). The first factor comes with recovery codes, shown once.
 */
export function EnrolFactor({ onDone }: { onDone: () => void }) {
  const { errors, message, pending, run } = useActionForm();
  const [totp, setTotp] = useState<Totp | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);

  const finished = (result: { recoveryCodes: string[] | null }) => {
    if (result.recoveryCodes) {
      setCodes(result.recoveryCodes);
      return "Second factor added.";
    }
    onDone();
    return "Second factor added.";
  };

  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} />;

  return (
    <div className="stack">
      <FormMessage message={message} />
      {totp ? (
        <form
          className="form"
          style={{ maxWidth: "32rem" }}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            run(
              () => confirmTotpEnrolmentAction(String(form.get("code") ?? ""), String(form.get("label") ?? "")),
              finished,
            );
          }}
        >
          <h3>Authenticator app</h3>
          <p className="muted small">
            Scan this code with your authenticator app, or type the key below into it. Then enter the six-digit code the
            app shows.
          </p>
          <div
            role="img"
            aria-label="QR code of the authenticator key"
            style={{ width: 200, height: 200, background: "#fff", padding: 4 }}
            dangerouslySetInnerHTML={{ __html: totp.svg }}
          />
          <p className="small">
            Key: <code data-testid="totp-secret">{totp.secret}</code>
          </p>
          <Field name="label" label="Name for this app (optional)">
            <input id={fieldIds("label").id} name="label" type="text" maxLength={80} placeholder="Phone" />
          </Field>
          <Field name="code" label="Code from the app" error={errors.code}>
            <input
              id={fieldIds("code").id}
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={10}
              required
              aria-invalid={errors.code ? true : undefined}
              aria-describedby={errors.code ? fieldIds("code").error : undefined}
            />
          </Field>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {pending ? "Checking…" : "Add authenticator app"}
            </button>
            <button type="button" className="btn" onClick={() => setTotp(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="row">
          <button
            type="button"
            className="btn btn-primary"
            disabled={pending}
            onClick={() =>
              run(
                () => startTotpEnrolmentAction(),
                (data) => void setTotp(data),
              )
            }
          >
            Set up an authenticator app
          </button>
          <button
            type="button"
            className="btn"
            disabled={pending}
            onClick={() =>
              run(async () => {
                const options = await startPasskeyEnrolmentAction();
                if (!options.ok) return options;
                try {
                  const response = await startRegistration({ optionsJSON: options.data });
                  return confirmPasskeyEnrolmentAction(response, "");
                } catch (error) {
                  return {
                    ok: false as const,
                    code: "VALIDATION",
                    message: `The browser did not create a passkey: ${(error as Error).message}`,
                    fieldErrors: {},
                  };
                }
              }, finished)
            }
          >
            Add a passkey
          </button>
        </div>
      )}
    </div>
  );
}
