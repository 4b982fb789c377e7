"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { describedBy, fieldIds } from "@/components/forms/field";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { ZApiInput, type TApiInput } from "@/lib/apis/schemas";

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
  const { errors, message, pending, submit } = useActionForm();

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

  function save(event: React.FormEvent) {
    event.preventDefault();
    submit(
      ZApiInput,
      { ...value, authzRoles: splitList(rolesText), tags: splitList(tagsText) },
      (input) => (mode.kind === "create" ? createApiAction(input) : updateApiAction(mode.id, mode.version, input)),
      ({ id }) => {
        router.push(`/apis/${id}?saved=1`);
        router.refresh();
      },
    );
  }

  return (
    <form className="form" onSubmit={save} noValidate>
      <FormMessage message={message} />

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
