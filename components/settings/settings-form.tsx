"use client";
import { Field, fieldIds } from "@/components/forms/field";
import { updateSettingsAction } from "@/lib/settings/actions";
import { ZSettings, type TSettings } from "@/lib/settings/schemas";
import { FormMessage } from "@/components/forms/form-message";
import { useActionForm } from "@/components/forms/use-action-form";

export function SettingsForm({ initial }: { initial: TSettings }) {
  const { errors, message, pending, submit } = useActionForm();
  const input = (
    name: Exclude<keyof TSettings, "autoOpenCampaigns" | "specFetchHosts" | "mfaRequiredFor" | "oidcMfaForAdmins">,
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
  const onOff = (name: "autoOpenCampaigns" | "oidcMfaForAdmins") => (
    <select
      id={fieldIds(name).id}
      name={name}
      defaultValue={String(initial[name])}
      aria-describedby={fieldIds(name).hint}
      style={{ maxWidth: 140 }}
    >
      <option value="0">Off</option>
      <option value="1">On</option>
    </select>
  );
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
            "oidcMfaForAdmins",
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
        <select
          id={fieldIds("mfaRequiredFor").id}
          name="mfaRequiredFor"
          defaultValue={initial.mfaRequiredFor}
          aria-describedby={fieldIds("mfaRequiredFor").hint}
          style={{ maxWidth: 320 }}
        >
          <option value="admins">Administrators</option>
          <option value="everyone">Everyone</option>
          <option value="nobody">Nobody (does not meet ISM-1173)</option>
        </select>
      </Field>
      <Field
        name="oidcMfaForAdmins"
        label="Single sign-on administrators must have used MFA at the identity provider"
        error={errors.oidcMfaForAdmins}
        hint="When on, an administrator's single sign-on is refused unless the provider says (amr claim) that a second factor was used."
      >
        {onOff("oidcMfaForAdmins")}
      </Field>
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}
