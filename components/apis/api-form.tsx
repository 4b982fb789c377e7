"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { describedBy, fieldIds } from "@/components/forms/field";
import { ZApiInput, type TApiInput } from "@/lib/apis/schemas";
import { fieldErrorsOf } from "@/lib/input/validation";

import { createApiAction, updateApiAction } from "@/lib/apis/actions";
import {
  AccessSection,
  DataSection,
  DeploymentSection,
  IdentitySection,
  LinksSection,
  type ApiFormKit,
} from "@/components/apis/api-form-sections";

type Option = { id: string; name: string };
type Props = {
  initial: TApiInput;
  teams: Option[];
  users: (Option & { email: string })[];
  /** Why the team or owner lists are shorter than the organisation (the placement rules). */
  teamHint?: string;
  ownerHint?: string;
  mode: { kind: "create" } | { kind: "edit"; id: string; version: number };
};

const splitList = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function ApiForm({ initial, teams, users, teamHint, ownerHint, mode }: Props) {
  const router = useRouter();
  const [value, setValue] = useState<TApiInput>(initial);
  const [rolesText, setRolesText] = useState(initial.authzRoles.join(", "));
  const [tagsText, setTagsText] = useState(initial.tags.join(", "));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const set = <K extends keyof TApiInput>(key: K, v: TApiInput[K]) => setValue((old) => ({ ...old, [key]: v }));
  const toggleIn = <K extends "dataCategories" | "authMethods">(key: K, item: TApiInput[K][number], on: boolean) =>
    setValue((old) => ({
      ...old,
      [key]: on ? [...(old[key] as string[]), item] : (old[key] as string[]).filter((x) => x !== item),
    }));
  const err = (name: string) => errors[name];
  const inputProps = (name: string, hint = false) => ({
    id: fieldIds(name).id,
    name,
    "aria-invalid": err(name) ? true : undefined,
    "aria-describedby": describedBy(name, hint, !!err(name)),
  });

  const form: ApiFormKit = { value, set, toggleIn, err, errors, inputProps };

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const candidate = { ...value, authzRoles: splitList(rolesText), tags: splitList(tagsText) };
    const parsed = ZApiInput.safeParse(candidate);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      setFormError("Some fields need attention. Nothing was saved.");
      focusFirstError();
      return;
    }
    setErrors({});
    setFormError(null);
    startTransition(async () => {
      const result =
        mode.kind === "create"
          ? await createApiAction(parsed.data)
          : await updateApiAction(mode.id, mode.version, parsed.data);
      if (result.ok) {
        router.push(`/apis/${result.data.id}?saved=1`);
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors);
      setFormError(result.message);
      focusFirstError();
    });
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-describedby={formError ? "form-error" : undefined}>
      {formError ? (
        <div id="form-error" className="alert alert-error" role="alert" tabIndex={-1}>
          {formError}
        </div>
      ) : null}

      <IdentitySection form={form} teams={teams} users={users} teamHint={teamHint} ownerHint={ownerHint} />

      <DeploymentSection form={form} />

      <DataSection form={form} />

      <AccessSection form={form} rolesText={rolesText} setRolesText={setRolesText} />

      <LinksSection form={form} tagsText={tagsText} setTagsText={setTagsText} />

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : mode.kind === "create" ? "Register API" : "Save changes"}
        </button>
        <Link className="btn" href={mode.kind === "create" ? "/apis" : `/apis/${mode.id}`}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

function focusFirstError() {
  requestAnimationFrame(() => {
    const first = document.querySelector<HTMLElement>(
      '[aria-invalid="true"] input, [aria-invalid="true"]:is(input,select,textarea), #form-error',
    );
    first?.focus();
  });
}
