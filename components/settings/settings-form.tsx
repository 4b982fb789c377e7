"use client";
import { Field, fieldIds } from "@/components/forms/field";
import { updateSettingsAction } from "@/lib/settings/actions";
import { ZSettings, type TSettings } from "@/lib/settings/schemas";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";

export function SettingsForm({ initial }: { initial: TSettings }) {
  const { errors, message, pending, submit } = useActionForm();
  const input = (
    name: Exclude<keyof TSettings, "autoOpenCampaigns" | "specFetchHosts" | "mfaRequiredFor" | "oidcMfaClaim">,
  ) => (
    <input
      id={fieldIds(name).id}
      name={name}
      type="number"
      min={1}
      max={100000}
      defaultValue={initial[name]}
      aria-invalid={errors[name] ? true : undefined}
      aria-describedby={errors[name] ? fieldIds(name).error : undefined}
      style={{ maxWidth: 140 }}
    />
  );
  /** A choice among fixed values: on/off, or one of the listed options. */
  const choose = (
    name: "autoOpenCampaigns" | "mfaRequiredFor" | "oidcMfaClaim",
    options: [value: string, label: string][],
    width = 140,
  ) => (
    <select
      id={fieldIds(name).id}
      name={name}
      defaultValue={String(initial[name])}
      aria-describedby={fieldIds(name).hint}
      style={{ maxWidth: width }}
    >
      {options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
  const onOff = (name: "autoOpenCampaigns") =>
    choose(name, [
      ["0", "Off"],
      ["1", "On"],
    ]);
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const value = Object.fromEntries(
          [
            "rotationDays",
            "notSeenDays",
            "quarterStartMonth",
            "reviewDueDays",
            "autoOpenCampaigns",
            "tokenMaxDays",
            "alertThreshold",
            "alertWindowMinutes",
            "eventRetentionDays",
            "specFetchHosts",
            "mfaRequiredFor",
            "oidcMfaClaim",
          ].map((k) => [k, String(form.get(k) ?? "")]),
        );
        submit(ZSettings, value, updateSettingsAction, () => "Saved. Flags use the new periods from now on.");
      }}
    >
      <FormMessage message={message} />
      <Field
        name="rotationDays"
        label="Credential rotation period (days)"
        error={errors.rotationDays}
        hint="A client's credential not rotated (or issued) within this period is flagged for review."
      >
        {input("rotationDays")}
      </Field>
      <Field
        name="notSeenDays"
        label="Unused-client period (days)"
        error={errors.notSeenDays}
        hint="A client not seen calling the API for this long is flagged."
      >
        {input("notSeenDays")}
      </Field>
      <Field
        name="quarterStartMonth"
        label="First month of the review year"
        error={errors.quarterStartMonth}
        hint="1 = calendar quarters (January–March is Q1); 7 = financial-year quarters (July–September is Q1)."
      >
        {input("quarterStartMonth")}
      </Field>
      <Field name="reviewDueDays" label="Reviews due (days after the quarter ends)" error={errors.reviewDueDays}>
        {input("reviewDueDays")}
      </Field>
      <Field
        name="autoOpenCampaigns"
        label="Open each quarter's review campaign automatically"
        error={errors.autoOpenCampaigns}
        hint="When on, the hourly job opens the campaign of the current quarter if there is none yet."
      >
        {onOff("autoOpenCampaigns")}
      </Field>
      <Field
        name="tokenMaxDays"
        label="Longest API token lifetime (days)"
        error={errors.tokenMaxDays}
        hint="Every API token expires; people choose an expiry up to this many days ahead."
      >
        {input("tokenMaxDays")}
      </Field>
      <Field
        name="alertThreshold"
        label="Failed-authentication alert: more than this many failures…"
        error={errors.alertThreshold}
        hint="…for one client or one source address. Each API can set its own on its events page."
      >
        {input("alertThreshold")}
      </Field>
      <Field name="alertWindowMinutes" label="…within this many minutes" error={errors.alertWindowMinutes}>
        {input("alertWindowMinutes")}
      </Field>
      <Field
        name="eventRetentionDays"
        label="Keep raw authentication events (days)"
        error={errors.eventRetentionDays}
        hint="Older events are rolled up into daily counts per API, client and outcome, then deleted. 400 days covers a full year's audit."
      >
        {input("eventRetentionDays")}
      </Field>
      <Field
        name="specFetchHosts"
        label="Hosts OpenAPI descriptions may be fetched from"
        error={errors.specFetchHosts}
        hint="Comma-separated host names (optionally :port). Empty: the server never fetches descriptions by URL; they are uploaded or sent through the API."
      >
        <input
          id={fieldIds("specFetchHosts").id}
          name="specFetchHosts"
          type="text"
          maxLength={1000}
          defaultValue={initial.specFetchHosts}
          aria-invalid={errors.specFetchHosts ? true : undefined}
          aria-describedby={errors.specFetchHosts ? fieldIds("specFetchHosts").error : fieldIds("specFetchHosts").hint}
        />
      </Field>
      <Field
        name="mfaRequiredFor"
        label="Second factor required for"
        error={errors.mfaRequiredFor}
        hint="People with a password who must also use an authenticator app or a passkey. Anyone without one is sent to enrol after their password and can do nothing else until done. ISM-1173 asks it of administrators, ISM-0974 of everyone."
      >
        {choose(
          "mfaRequiredFor",
          [
            ["admins", "Administrators"],
            ["everyone", "Everyone"],
            ["nobody", "Nobody (does not meet ISM-1173)"],
          ],
          320,
        )}
      </Field>
      <Field
        name="oidcMfaClaim"
        label="Single sign-on: the provider's second factor"
        error={errors.oidcMfaClaim}
        hint="The requirement above holds for single sign-on too. Required: a sign-in it covers is refused unless the identity provider says (amr claim) that a second factor was used. Trusted: for a provider that enforces MFA itself but sends no amr claim."
      >
        {choose(
          "oidcMfaClaim",
          [
            ["required", "Required (amr claim)"],
            ["trusted", "Trusted without a claim"],
          ],
          320,
        )}
      </Field>
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}
