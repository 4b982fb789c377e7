"use client";
import { Field, RecordOptions } from "@/components/forms/field";
import type { TApiInput } from "@/lib/apis/schemas";
import {
  AUTH_METHODS,
  AUTHZ_MODELS,
  DATA_CATEGORIES,
  EXPOSURES,
  LABELS,
  LIFECYCLES,
  SENSITIVITIES,
} from "@/lib/apis/enums";
import { TRI_LABELS, type Tri } from "@/lib/records/fields";

// The sections of the API form (components/apis/api-form.tsx), one fieldset each, sharing the form's
// state through one kit.
type Option = { id: string; name: string };
export type ApiFormKit = {
  value: TApiInput;
  set: <K extends keyof TApiInput>(key: K, v: TApiInput[K]) => void;
  toggleIn: <K extends "dataCategories" | "authMethods">(key: K, item: TApiInput[K][number], on: boolean) => void;
  err: (name: string) => string[] | undefined;
  errors: Record<string, string[]>;
  inputProps: (name: string, hint?: boolean) => Record<string, unknown>;
};

const TRI_OPTIONS = Object.entries(TRI_LABELS) as [Tri, string][];

export function IdentitySection({
  form,
  teams,
  users,
  teamHint,
  ownerHint,
}: {
  form: ApiFormKit;
  teams: Option[];
  users: (Option & { email: string })[];
  teamHint?: string;
  ownerHint?: string;
}) {
  const { value, set, err, inputProps } = form;
  return (
    <fieldset className="fieldset">
      <legend>What the API is</legend>
      <Field name="name" label="Name" error={err("name")}>
        <input
          type="text"
          {...inputProps("name")}
          value={value.name}
          onChange={(e) => set("name", e.target.value)}
          maxLength={120}
          required
        />
      </Field>
      <Field name="purpose" label="Purpose" hint="What the API is for, in a sentence or two." error={err("purpose")}>
        <textarea
          {...inputProps("purpose", true)}
          value={value.purpose}
          onChange={(e) => set("purpose", e.target.value)}
          maxLength={2000}
          required
        />
      </Field>
      <div className="field-row">
        <Field name="businessFunction" label="Business function" error={err("businessFunction")}>
          <input
            type="text"
            {...inputProps("businessFunction")}
            value={value.businessFunction}
            onChange={(e) => set("businessFunction", e.target.value)}
            maxLength={200}
          />
        </Field>
        <Field name="lifecycle" label="Lifecycle" error={err("lifecycle")}>
          <select
            {...inputProps("lifecycle")}
            value={value.lifecycle}
            onChange={(e) => set("lifecycle", e.target.value as TApiInput["lifecycle"])}
          >
            {LIFECYCLES.map((l) => (
              <option key={l} value={l}>
                {LABELS.lifecycle[l]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="field-row">
        <Field name="teamId" label="Owning team" hint={teamHint} error={err("teamId")}>
          <select
            {...inputProps("teamId", !!teamHint)}
            value={value.teamId}
            onChange={(e) => set("teamId", e.target.value)}
            required
          >
            <RecordOptions records={teams} empty="Choose a team…" />
          </select>
        </Field>
        <Field name="ownerId" label="Owner" hint={ownerHint} error={err("ownerId")}>
          <select
            {...inputProps("ownerId", !!ownerHint)}
            value={value.ownerId}
            onChange={(e) => set("ownerId", e.target.value)}
          >
            <option value="">No owner yet</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
        </Field>
      </div>
    </fieldset>
  );
}

export function DeploymentSection({ form }: { form: ApiFormKit }) {
  const { value, set, err, errors } = form;
  return (
    <fieldset className="fieldset">
      <legend>Where it runs</legend>
      <Field
        name="exposure"
        label="Network exposure"
        as="fieldset"
        error={err("exposure")}
        hint="Partner APIs count as internet-accessible unless partners reach them over a private link."
      >
        <div className="choices">
          {EXPOSURES.map((x) => (
            <label key={x}>
              <input
                type="radio"
                name="exposure"
                value={x}
                checked={value.exposure === x}
                onChange={() => set("exposure", x)}
              />
              {LABELS.exposure[x]}
            </label>
          ))}
        </div>
      </Field>
      {value.exposure === "PARTNER" ? (
        <label className="row">
          <input
            type="checkbox"
            checked={value.partnerLinkPrivate}
            onChange={(e) => set("partnerLinkPrivate", e.target.checked)}
          />
          Partners reach it only over a private link (leased line, VPN or cross-connect), not the internet
        </label>
      ) : null}
      <Field
        name="environments"
        label="Environments and base URLs"
        as="fieldset"
        error={err("environments") ?? Object.entries(errors).find(([k]) => k.startsWith("environments."))?.[1]}
      >
        <div className="stack" style={{ gap: "0.5rem" }}>
          {value.environments.map((env, i) => (
            <div className="row" key={i}>
              <label className="sr-only" htmlFor={`env-name-${i}`}>
                Environment {i + 1} name
              </label>
              <input
                id={`env-name-${i}`}
                type="text"
                placeholder="production"
                value={env.name}
                maxLength={40}
                style={{ maxWidth: 160 }}
                aria-invalid={errors[`environments.${i}.name`] ? true : undefined}
                onChange={(e) =>
                  set(
                    "environments",
                    value.environments.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)),
                  )
                }
              />
              <label className="sr-only" htmlFor={`env-url-${i}`}>
                Environment {i + 1} base URL
              </label>
              <input
                id={`env-url-${i}`}
                type="url"
                placeholder="https://api.internal.example.gov.au"
                value={env.baseUrl}
                maxLength={500}
                style={{ flex: 1, minWidth: 220 }}
                aria-invalid={errors[`environments.${i}.baseUrl`] ? true : undefined}
                onChange={(e) =>
                  set(
                    "environments",
                    value.environments.map((x, j) => (j === i ? { ...x, baseUrl: e.target.value } : x)),
                  )
                }
              />
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  set(
                    "environments",
                    value.environments.filter((_, j) => j !== i),
                  )
                }
                aria-label={`Remove environment ${i + 1}`}
              >
                Remove
              </button>
            </div>
          ))}
          <div>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => set("environments", [...value.environments, { name: "", baseUrl: "" }])}
              disabled={value.environments.length >= 10}
            >
              Add environment
            </button>
          </div>
        </div>
      </Field>
    </fieldset>
  );
}

export function DataSection({ form }: { form: ApiFormKit }) {
  const { value, set, toggleIn, err, inputProps } = form;
  return (
    <fieldset className="fieldset">
      <legend>Data</legend>
      <div className="field-row">
        <TriState
          name="modifiesData"
          label="Does it modify data?"
          value={value.modifiesData}
          onChange={(v) => set("modifiesData", v)}
          error={err("modifiesData")}
        />
        <TriState
          name="readsNonPublic"
          label="Does it give access to data not authorised for public release?"
          value={value.readsNonPublic}
          onChange={(v) => set("readsNonPublic", v)}
          error={err("readsNonPublic")}
        />
      </div>
      <Field name="sensitivity" label="Data sensitivity (highest classification it handles)" error={err("sensitivity")}>
        <select
          {...inputProps("sensitivity")}
          value={value.sensitivity}
          onChange={(e) => set("sensitivity", e.target.value as TApiInput["sensitivity"])}
        >
          {SENSITIVITIES.map((s) => (
            <option key={s} value={s}>
              {LABELS.sensitivity[s]}
            </option>
          ))}
        </select>
      </Field>
      <Field name="dataCategories" label="Data categories" as="fieldset" error={err("dataCategories")}>
        <div className="choices">
          {DATA_CATEGORIES.map((c) => (
            <label key={c}>
              <input
                type="checkbox"
                checked={value.dataCategories.includes(c)}
                onChange={(e) => toggleIn("dataCategories", c, e.target.checked)}
              />
              {LABELS.dataCategory[c]}
            </label>
          ))}
        </div>
      </Field>
    </fieldset>
  );
}

export function AccessSection({
  form,
  rolesText,
  setRolesText,
}: {
  form: ApiFormKit;
  rolesText: string;
  setRolesText: (text: string) => void;
}) {
  const { value, set, toggleIn, err, errors, inputProps } = form;
  return (
    <fieldset className="fieldset">
      <legend>Access control and logging</legend>
      <Field
        name="authMethods"
        label="Authentication methods"
        as="fieldset"
        hint="How calling clients prove who they are. Leave all unticked if not known yet."
        error={err("authMethods")}
      >
        <div className="choices">
          {AUTH_METHODS.map((m) => (
            <label key={m}>
              <input
                type="checkbox"
                checked={value.authMethods.includes(m)}
                onChange={(e) => toggleIn("authMethods", m, e.target.checked)}
              />
              {LABELS.authMethod[m]}
            </label>
          ))}
        </div>
      </Field>
      <div className="field-row">
        <Field name="authzModel" label="Authorisation model" error={err("authzModel")}>
          <select
            {...inputProps("authzModel")}
            value={value.authzModel}
            onChange={(e) => set("authzModel", e.target.value as TApiInput["authzModel"])}
          >
            <option value="UNKNOWN">{TRI_LABELS.unknown}</option>
            {AUTHZ_MODELS.map((m) => (
              <option key={m} value={m}>
                {LABELS.authzModel[m]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          name="authzRoles"
          label="Roles or scopes it defines"
          hint="Separate with commas."
          error={err("authzRoles") ?? Object.entries(errors).find(([k]) => k.startsWith("authzRoles."))?.[1]}
        >
          <input
            type="text"
            {...inputProps("authzRoles", true)}
            value={rolesText}
            onChange={(e) => setRolesText(e.target.value)}
            maxLength={4000}
          />
        </Field>
      </div>
      <div className="field-row">
        <TriState
          name="centrallyLogged"
          label="Are its calls centrally logged?"
          value={value.centrallyLogged}
          onChange={(v) => set("centrallyLogged", v)}
          error={err("centrallyLogged")}
        />
        <Field
          name="loggingDestination"
          label="Where are they logged?"
          hint="For example the SIEM and index."
          error={err("loggingDestination")}
        >
          <input
            type="text"
            {...inputProps("loggingDestination", true)}
            value={value.loggingDestination}
            onChange={(e) => set("loggingDestination", e.target.value)}
            maxLength={200}
          />
        </Field>
      </div>
    </fieldset>
  );
}

export function LinksSection({
  form,
  tagsText,
  setTagsText,
}: {
  form: ApiFormKit;
  tagsText: string;
  setTagsText: (text: string) => void;
}) {
  const { value, set, err, errors, inputProps } = form;
  return (
    <fieldset className="fieldset">
      <legend>Links and tags</legend>
      <div className="field-row">
        <Field name="docsUrl" label="Documentation" error={err("docsUrl")}>
          <input
            type="url"
            {...inputProps("docsUrl")}
            value={value.docsUrl}
            onChange={(e) => set("docsUrl", e.target.value)}
            maxLength={500}
          />
        </Field>
        <Field name="repoUrl" label="Repository" error={err("repoUrl")}>
          <input
            type="url"
            {...inputProps("repoUrl")}
            value={value.repoUrl}
            onChange={(e) => set("repoUrl", e.target.value)}
            maxLength={500}
          />
        </Field>
        <Field name="openapiUrl" label="OpenAPI description" error={err("openapiUrl")}>
          <input
            type="url"
            {...inputProps("openapiUrl")}
            value={value.openapiUrl}
            onChange={(e) => set("openapiUrl", e.target.value)}
            maxLength={500}
          />
        </Field>
      </div>
      <Field
        name="tags"
        label="Tags"
        hint="Separate with commas."
        error={err("tags") ?? Object.entries(errors).find(([k]) => k.startsWith("tags."))?.[1]}
      >
        <input
          type="text"
          {...inputProps("tags", true)}
          value={tagsText}
          onChange={(e) => setTagsText(e.target.value)}
          maxLength={2000}
        />
      </Field>
    </fieldset>
  );
}

function TriState({
  name,
  label,
  value,
  onChange,
  error,
}: {
  name: string;
  label: string;
  value: "yes" | "no" | "unknown";
  onChange: (v: "yes" | "no" | "unknown") => void;
  error?: string[];
}) {
  return (
    <Field name={name} label={label} as="fieldset" error={error}>
      <div className="choices">
        {TRI_OPTIONS.map(([v, text]) => (
          <label key={v}>
            <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
            {text}
          </label>
        ))}
      </div>
    </Field>
  );
}
