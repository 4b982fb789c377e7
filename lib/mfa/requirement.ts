import type { Role } from "@/lib/authz/policy";

// Who must use a second factor: two installation settings, edited with the others on Settings (stored in
// AppSetting) and read by sign-in through mfaSettings (lib/mfa/queries.ts). Shared with the settings form.

export const MFA_REQUIREMENTS = ["admins", "everyone", "nobody"] as const;
export type MfaRequirement = (typeof MFA_REQUIREMENTS)[number];
export const MFA_SETTING_DEFAULTS = { mfaRequiredFor: "admins" as MfaRequirement, oidcMfaForAdmins: 0 };

export function secondFactorRequired(role: Role, requirement: MfaRequirement): boolean {
  return requirement === "everyone" || (requirement === "admins" && role === "ADMIN");
}
