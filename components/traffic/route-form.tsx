"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, InputField, RecordOptions, SubmitButton, describedBy, fieldIds } from "@/components/forms/field";
import { ApiCombobox, type ChosenApi } from "@/components/forms/api-combobox";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { createTrafficRouteAction } from "@/lib/traffic/actions";
import { ZTrafficRouteInput, type TTrafficRouteInput } from "@/lib/traffic/schemas";

const EMPTY: TTrafficRouteInput = { teamId: "", apiId: "", host: "", pathPrefix: "", gatewayRoute: "" };

/** Adds a routing rule: which of a team's APIs calls to a host, path prefix or gateway route are for. */
export function RouteForm({ teams }: { teams: { id: string; name: string }[] }) {
  const router = useRouter();
  const [value, setValue] = useState<TTrafficRouteInput>(EMPTY);
  const [api, setApi] = useState<ChosenApi | null>(null);
  const { errors, message, pending, submit } = useActionForm();
  const set = (patch: Partial<TTrafficRouteInput>) => setValue({ ...value, ...patch });
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(ZTrafficRouteInput, value, createTrafficRouteAction, () => {
          setValue({ ...EMPTY, teamId: value.teamId });
          setApi(null);
          router.refresh();
          return "Rule added: the team's sources route by it from their next batch.";
        });
      }}
    >
      <FormMessage message={message} />
      <div className="field-row">
        <Field name="route-team" label="Team" hint="The rule applies to this team's sources." error={errors.teamId}>
          <select
            id={fieldIds("route-team").id}
            value={value.teamId}
            onChange={(e) => {
              set({ teamId: e.target.value, apiId: "" });
              setApi(null);
            }}
          >
            <RecordOptions records={teams} empty="Choose a team" emptyDisabled />
          </select>
        </Field>
        <Field
          name="route-api"
          label="API the calls are for"
          hint="One of the team's APIs: type part of its name."
          error={errors.apiId}
        >
          <ApiCombobox
            id={fieldIds("route-api").id}
            value={api}
            teamId={value.teamId}
            disabled={!value.teamId}
            placeholder={value.teamId ? "Type part of its name" : "Choose a team first"}
            invalid={!!errors.apiId}
            describedBy={describedBy("route-api", true, !!errors.apiId)}
            onChange={(chosen) => {
              setApi(chosen);
              set({ apiId: chosen?.id ?? "" });
            }}
          />
        </Field>
      </div>
      <div className="field-row">
        <InputField
          name="route-host"
          label="Host"
          hint="As callers address it, without scheme or port. Empty: any host."
          maxLength={255}
          value={value.host}
          error={errors.host}
          onChange={(v) => set({ host: v })}
        />
        <InputField
          name="route-prefix"
          label="Path prefix"
          hint="/orders takes /orders and /orders/42, not /orderstatus. Empty: any path."
          maxLength={200}
          value={value.pathPrefix}
          error={errors.pathPrefix}
          onChange={(v) => set({ pathPrefix: v })}
        />
        <InputField
          name="route-gateway"
          label="Gateway route or service"
          hint="Kong route or service, Envoy route, Traefik router, NGINX location name. Empty: any."
          maxLength={200}
          value={value.gatewayRoute}
          error={errors.gatewayRoute}
          onChange={(v) => set({ gatewayRoute: v })}
        />
      </div>
      <SubmitButton pending={pending} label="Add rule" pendingLabel="Adding…" />
    </form>
  );
}
