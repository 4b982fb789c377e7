"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Field, describedBy, fieldIds } from "@/components/forms/field";
import { CLIENT_KINDS, CLIENT_LABELS, CREDENTIAL_TYPES } from "@/lib/clients/enums";
import { ZClientInput, type TClientInput } from "@/lib/clients/schemas";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { createClientAction, updateClientAction } from "@/lib/clients/actions";

type Props = {
  apiId: string;
  initial: TClientInput;
  mode: { kind: "create" } | { kind: "edit"; id: string; version: number };
  onDone: () => void;
};

export function ClientForm({ apiId, initial, mode, onDone }: Props) {
  const router = useRouter();
  const [value, setValue] = useState(initial);
  const [scopesText, setScopesText] = useState(initial.scopes.join(", "));
  const { errors, message, pending, submit } = useActionForm();
  const prefix = mode.kind === "create" ? "new-client" : `client-${mode.id}`;
  const props = (name: keyof TClientInput, hint = false) => ({
    id: fieldIds(`${prefix}-${name}`).id,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": describedBy(`${prefix}-${name}`, hint, !!errors[name]),
  });
  const field = (name: keyof TClientInput, label: string, child: React.ReactNode, hint?: string) => (
    <Field name={`${prefix}-${name}`} label={label} error={errors[name]} hint={hint}>
      {child}
    </Field>
  );
  const date = (
    name: "approvedAt" | "credentialIssuedAt" | "credentialExpiresAt" | "credentialRotatedAt" | "lastSeenAt",
    label: string,
  ) =>
    field(
      name,
      label,
      <input
        type="date"
        {...props(name)}
        value={value[name]}
        onChange={(e) => setValue({ ...value, [name]: e.target.value })}
      />,
    );

  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const scopes = scopesText
          .split(/[,;\n]/)
          .map((s) => s.trim())
          .filter(Boolean);
        submit(
          ZClientInput,
          { ...value, scopes },
          (input) =>
            mode.kind === "create"
              ? createClientAction(apiId, input)
              : updateClientAction(apiId, mode.id, mode.version, input),
          () => {
            router.refresh();
            onDone();
          },
        );
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        {field(
          "name",
          "Client name",
          <input
            type="text"
            {...props("name")}
            maxLength={120}
            value={value.name}
            onChange={(e) => setValue({ ...value, name: e.target.value })}
          />,
        )}
        {field(
          "kind",
          "Kind",
          <select
            {...props("kind")}
            value={value.kind}
            onChange={(e) => setValue({ ...value, kind: e.target.value as TClientInput["kind"] })}
          >
            {CLIENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {CLIENT_LABELS.kind[k]}
              </option>
            ))}
          </select>,
        )}
        {field(
          "credentialType",
          "Credential",
          <select
            {...props("credentialType")}
            value={value.credentialType}
            onChange={(e) => setValue({ ...value, credentialType: e.target.value as TClientInput["credentialType"] })}
          >
            {CREDENTIAL_TYPES.map((k) => (
              <option key={k} value={k}>
                {CLIENT_LABELS.credentialType[k]}
              </option>
            ))}
          </select>,
        )}
      </div>
      <div className="field-row">
        {field(
          "scopes",
          "Roles or scopes granted",
          <input
            type="text"
            {...props("scopes", true)}
            maxLength={4000}
            value={scopesText}
            onChange={(e) => setScopesText(e.target.value)}
          />,
          "Separate with commas.",
        )}
        <label className="row" style={{ alignSelf: "end" }}>
          <input
            type="checkbox"
            checked={value.canModify}
            onChange={(e) => setValue({ ...value, canModify: e.target.checked })}
          />
          May modify data
        </label>
      </div>
      <div className="field-row">
        {field(
          "approvedBy",
          "Approved by",
          <input
            type="text"
            {...props("approvedBy")}
            maxLength={120}
            value={value.approvedBy}
            onChange={(e) => setValue({ ...value, approvedBy: e.target.value })}
          />,
        )}
        {date("approvedAt", "Approved on")}
        {date("lastSeenAt", "Last seen")}
      </div>
      <div className="field-row">
        {date("credentialIssuedAt", "Credential issued")}
        {date("credentialRotatedAt", "Last rotated")}
        {date("credentialExpiresAt", "Credential expires")}
      </div>
      {field(
        "notes",
        "Notes",
        <input
          type="text"
          {...props("notes")}
          maxLength={1000}
          value={value.notes}
          onChange={(e) => setValue({ ...value, notes: e.target.value })}
        />,
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : mode.kind === "create" ? "Add client" : "Save client"}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
