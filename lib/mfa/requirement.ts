import type { Role } from "@/lib/authz/policy";

// Who must use a second factor: two installation settings, edited with the others on Settings (stored in
// AppSetting) and read by sign-in through mfaSettings (lib/mfa/queries.ts). Shared with the settings form.
// The requirement holds for single sign-on too: a person it covers must have used a second factor at the
// identity provider, as its amr claim says ("required"), unless an admin trusts the provider without the
// claim ("trusted", for providers that enforce MFA but do not send amr).

export const MFA_REQUIREMENTS = ["admins", "everyone", "nobody"] as const;
export type MfaRequirement = (typeof MFA_REQUIREMENTS)[number];
export const OIDC_MFA_CLAIMS = ["required", "trusted"] as const;
export type OidcMfaClaim = (typeof OIDC_MFA_CLAIMS)[number];
export const MFA_SETTING_DEFAULTS = {
  mfaRequiredFor: "admins" as MfaRequirement,
  oidcMfaClaim: "required" as OidcMfaClaim,
};

export function secondFactorRequired(role: Role, requirement: MfaRequirement): boolean {
  return requirement === "everyone" || (requirement === "admins" && role === "ADMIN");
}
