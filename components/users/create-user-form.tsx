"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, describedBy, fieldIds, RecordOptions } from "@/components/forms/field";
import { createUserAction } from "@/lib/users/actions";
import { ROLE_LABELS, ZUserCreate, type TUserCreate } from "@/lib/users/schemas";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { ROLES } from "@/lib/authz/policy";
import { OneTimePassword } from "@/components/users/one-time-password";

const EMPTY: TUserCreate = { email: "", name: "", role: "SYSTEM_OWNER", teamId: "" };

export function CreateUserForm({ teams }: { teams: { id: string; name: string }[] }) {
  const router = useRouter();
  const [value, setValue] = useState<TUserCreate>(EMPTY);
  const { errors, message, pending, submit } = useActionForm();
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const props = (name: keyof TUserCreate) => ({
    id: fieldIds(name).id,
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": describedBy(name, false, !!errors[name]),
  });

  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setCreated(null);
        submit(ZUserCreate, value, createUserAction, (data, input) => {
          setCreated({ email: input.email, password: data.oneTimePassword });
          setValue(EMPTY);
          router.refresh();
        });
      }}
    >
      <FormMessage message={message} />
      {created ? <OneTimePassword email={created.email} password={created.password} /> : null}
      <div className="field-row">
        <Field name="email" label="Email" error={errors.email}>
          <input
            type="email"
            {...props("email")}
            value={value.email}
            maxLength={320}
            onChange={(e) => setValue({ ...value, email: e.target.value })}
          />
        </Field>
        <Field name="name" label="Name" error={errors.name}>
          <input
            type="text"
            {...props("name")}
            value={value.name}
            maxLength={120}
            onChange={(e) => setValue({ ...value, name: e.target.value })}
          />
        </Field>
        <Field name="role" label="Role" error={errors.role}>
          <select
            {...props("role")}
            value={value.role}
            onChange={(e) => setValue({ ...value, role: e.target.value as TUserCreate["role"] })}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field name="teamId" label="Team" error={errors.teamId}>
          <select
            {...props("teamId")}
            value={value.teamId}
            onChange={(e) => setValue({ ...value, teamId: e.target.value })}
          >
            <RecordOptions records={teams} empty="No team" />
          </select>
        </Field>
      </div>
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Creating…" : "Create user"}
        </button>
      </div>
    </form>
  );
}
