"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, SubmitButton, fieldIds, RecordOptions } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { SecretOnce } from "@/components/tokens/secret-once";
import { useActionForm } from "@/components/forms/use-action-form";
import type { TokenScope } from "@/lib/authz/policy";
import { createTokenAction } from "@/lib/tokens/actions";
import { SCOPE_LABELS, ZTokenInput, type TTokenInput } from "@/lib/tokens/schemas";

/** Creates a token and shows its secret once, with a warning that it will not be shown again. */
export function TokenForm({
  forUserId,
  teams,
  maxDays,
  idPrefix,
  scopes,
}: {
  forUserId: string | null;
  teams: { id: string; name: string }[];
  maxDays: number;
  idPrefix: string;
  /** The scopes the owner's role can use (scopesOffered). */
  scopes: readonly TokenScope[];
}) {
  const router = useRouter();
  const [value, setValue] = useState<TTokenInput>({
    name: "",
    scopes: ["inventory:read"],
    teamId: "",
    expiresInDays: Math.min(30, maxDays),
  });
  const [secret, setSecret] = useState<string | null>(null);
  const { errors, message, pending, submit } = useActionForm();
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <div className="stack">
      {secret ? <SecretOnce title="Copy the token now — it is not shown again." secret={secret} /> : null}
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit(
            ZTokenInput,
            value,
            (input) => createTokenAction(forUserId, input),
            (data) => {
              setSecret(data.secret);
              setValue({ ...value, name: "" });
              router.refresh();
            },
            value.expiresInDays > maxDays
              ? { expiresInDays: [`At most ${maxDays} days (the administrator's limit).`] }
              : {},
          );
        }}
      >
        <FormMessage message={message} />
        <div className="field-row">
          <InputField
            name={id("name")}
            label="Token name"
            hint="What it is for, e.g. “CI pipeline for payments”."
            maxLength={100}
            value={value.name}
            error={errors.name}
            onChange={(v) => setValue({ ...value, name: v })}
          />
          <InputField
            name={id("days")}
            label="Expires after (days)"
            type="number"
            min={1}
            max={maxDays}
            value={Number.isNaN(value.expiresInDays) ? "" : value.expiresInDays}
            hint={`At most ${maxDays}.`}
            error={errors.expiresInDays}
            onChange={(v) => setValue({ ...value, expiresInDays: v === "" ? Number.NaN : Number(v) })}
          />
          <Field name={id("team")} label="Limit to one team's APIs" error={errors.teamId}>
            <select
              id={fieldIds(id("team")).id}
              value={value.teamId}
              onChange={(e) => setValue({ ...value, teamId: e.target.value })}
            >
              <RecordOptions records={teams} empty="No limit (everything the account may do)" />
            </select>
          </Field>
        </div>
        <Field
          name={id("scopes")}
          label="Scopes"
          as="fieldset"
          error={errors.scopes}
          hint="A token never does more than its account may do; scopes narrow it further."
        >
          <div className="choices">
            {scopes.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  checked={value.scopes.includes(s)}
                  onChange={(e) =>
                    setValue({
                      ...value,
                      scopes: e.target.checked ? [...value.scopes, s] : value.scopes.filter((x) => x !== s),
                    })
                  }
                />
                <code>{s}</code> <span className="small muted">{SCOPE_LABELS[s]}</span>
              </label>
            ))}
          </div>
        </Field>
        <SubmitButton pending={pending} label="Create token" pendingLabel="Creating…" />
      </form>
    </div>
  );
}
