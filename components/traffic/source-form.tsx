"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, SubmitButton, describedBy, fieldIds, RecordOptions } from "@/components/forms/field";
import { ApiCombobox, type ChosenApi } from "@/components/forms/api-combobox";
import { FormMessage } from "@/components/forms/form-message";
import { SecretOnce } from "@/components/tokens/secret-once";
import { useActionForm } from "@/components/forms/use-action-form";
import { createTrafficSourceAction } from "@/lib/traffic/actions";
import { PROFILES, PROFILE_LABELS, ZTrafficSourceInput, type TTrafficSourceInput } from "@/lib/traffic/schemas";
import { EMPTY_MAPPING, type TFieldMapping } from "@/lib/traffic/field-mapping";
import { MappingFields } from "@/components/traffic/mapping-fields";
import { MappingPreviewPanel } from "@/components/traffic/mapping-preview";

const EMPTY: TTrafficSourceInput = { name: "", profile: "nginx", lenient: true, teamId: "", apiId: "", mapping: null };

/** Registers a traffic source and shows its token once, with where the gateway sends. */
export function SourceForm({
  teams,
  origin,
}: {
  teams: { id: string; name: string }[];
  /** This installation's public origin: where the source sends, for the operator to copy into its configuration. */
  origin: string;
}) {
  const router = useRouter();
  const [value, setValue] = useState<TTrafficSourceInput>(EMPTY);
  const [api, setApi] = useState<ChosenApi | null>(null);
  // Kept while another format is chosen, so switching back does not lose what was typed.
  const [mapping, setMapping] = useState<TFieldMapping>(EMPTY_MAPPING);
  const isJson = value.profile === "json";
  const [created, setCreated] = useState<{
    name: string;
    profile: TTrafficSourceInput["profile"];
    secret: string;
    expiresAt: string;
  } | null>(null);
  const { errors, message, pending, submit } = useActionForm();
  return (
    <div className="stack">
      {created ? (
        <SecretOnce
          title={`“${created.name}” is registered. Copy its token now — it is not shown again.`}
          secret={created.secret}
        >
          <p className="small" style={{ margin: "0.5rem 0 0" }}>
            {created.profile === "otlp" ? (
              <>
                Point the OpenTelemetry Collector&apos;s <code>otlphttp</code> exporter (or an SDK&apos;s{" "}
                <code>OTEL_EXPORTER_OTLP_ENDPOINT</code>) at <code>{origin}/api/v1/otlp</code> — it adds{" "}
                <code>/v1/logs</code> and <code>/v1/traces</code> — with the header{" "}
              </>
            ) : (
              <>
                The gateway posts its records to <code>{origin}/api/v1/traffic</code> with the header{" "}
              </>
            )}
            <code>Authorization: Bearer</code> and this token (it expires {created.expiresAt.slice(0, 10)}; make the
            next one on the source&apos;s service account under API tokens).
          </p>
        </SecretOnce>
      ) : null}
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          // The previous source's token goes: it must never be read as the next one's.
          setCreated(null);
          submit(
            ZTrafficSourceInput,
            { ...value, mapping: isJson ? mapping : null },
            createTrafficSourceAction,
            (data) => {
              setCreated({ name: value.name, profile: value.profile, secret: data.secret, expiresAt: data.expiresAt });
              setValue(EMPTY);
              setApi(null);
              setMapping(EMPTY_MAPPING);
              router.refresh();
            },
          );
        }}
      >
        <FormMessage message={message} />
        <div className="field-row">
          <InputField
            name="source-name"
            label="Name"
            hint="The gateway or shipper, e.g. “Edge NGINX, Canberra”."
            maxLength={100}
            value={value.name}
            error={errors.name}
            onChange={(v) => setValue({ ...value, name: v })}
          />
          <Field name="source-profile" label="Format it sends" error={errors.profile}>
            <select
              id={fieldIds("source-profile").id}
              value={value.profile}
              onChange={(e) => setValue({ ...value, profile: e.target.value as TTrafficSourceInput["profile"] })}
            >
              {PROFILES.map((p) => (
                <option key={p} value={p}>
                  {PROFILE_LABELS[p]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="field-row">
          <Field
            name="source-team"
            label="Team"
            hint="The source reports on this team's APIs only; its token is limited to them."
            error={errors.teamId}
          >
            <select
              id={fieldIds("source-team").id}
              value={value.teamId}
              onChange={(e) => {
                setValue({ ...value, teamId: e.target.value, apiId: "" });
                setApi(null);
              }}
            >
              <RecordOptions records={teams} empty="Choose a team" emptyDisabled />
            </select>
          </Field>
          <Field
            name="source-api"
            label="API its calls are for"
            hint="For a gateway in front of one of the team's APIs: type part of its name. Left empty, calls no routing rule takes are counted as unrouted."
            error={errors.apiId}
          >
            <ApiCombobox
              id={fieldIds("source-api").id}
              value={api}
              teamId={value.teamId}
              disabled={!value.teamId}
              placeholder={value.teamId ? "None: type to choose one" : "Choose a team first"}
              invalid={!!errors.apiId}
              describedBy={describedBy("source-api", true, !!errors.apiId)}
              onChange={(chosen) => {
                setApi(chosen);
                setValue({ ...value, apiId: chosen?.id ?? "" });
              }}
            />
          </Field>
        </div>
        {isJson ? (
          <div className="stack">
            <MappingFields value={mapping} onChange={setMapping} errors={errors} prefix="mapping." />
            <MappingPreviewPanel mapping={mapping} />
          </div>
        ) : null}
        <Field name="source-mode" label="When a record cannot be read" as="fieldset" error={errors.lenient}>
          <div className="choices">
            <label>
              <input
                type="radio"
                name="source-mode"
                checked={value.lenient}
                onChange={() => setValue({ ...value, lenient: true })}
              />{" "}
              Lenient: store the others, keep it in the quarantine with the reason (for log shippers, which drop a
              refused batch)
            </label>
            <label>
              <input
                type="radio"
                name="source-mode"
                checked={!value.lenient}
                onChange={() => setValue({ ...value, lenient: false })}
              />{" "}
              Strict: refuse the whole batch and say why
            </label>
          </div>
        </Field>
        <SubmitButton pending={pending} label="Register source" pendingLabel="Registering…" />
      </form>
    </div>
  );
}
