import { z } from "zod";
import { MFA_REQUIREMENTS, MFA_SETTING_DEFAULTS, OIDC_MFA_CLAIMS } from "@/lib/mfa/requirement";

// Installation settings with their defaults. Stored as strings in AppSetting; parsed here.
export const ZSettings = z
  .object({
    rotationDays: z.coerce
      .number({ error: "Enter a number of days." })
      .int("Use whole days.")
      .min(1, "At least 1 day.")
      .max(3650, "At most 3650 days."),
    notSeenDays: z.coerce
      .number({ error: "Enter a number of days." })
      .int("Use whole days.")
      .min(1, "At least 1 day.")
      .max(3650, "At most 3650 days."),
    quarterStartMonth: z.coerce
      .number({ error: "Choose a month." })
      .int()
      .min(1, "Choose a month from 1 to 12.")
      .max(12, "Choose a month from 1 to 12."),
    reviewDueDays: z.coerce
      .number({ error: "Enter a number of days." })
      .int("Use whole days.")
      .min(0, "Cannot be negative.")
      .max(365, "At most 365 days."),
    // 1 = the hourly job opens each quarter's campaign by itself on the quarter's first day.
    autoOpenCampaigns: z.coerce
      .number({ error: "Choose on or off." })
      .int()
      .min(0, "Choose on or off.")
      .max(1, "Choose on or off."),
    // The longest lifetime an API token may be given (every token must expire).
    tokenMaxDays: z.coerce
      .number({ error: "Enter a number of days." })
      .int("Use whole days.")
      .min(1, "At least 1 day.")
      .max(730, "At most 730 days."),
    // Failed-authentication alerts: more than alertThreshold failures for one client or source address
    // within alertWindowMinutes (defaults; each API can set its own). Raw events are kept this long.
    alertThreshold: z.coerce
      .number({ error: "Enter a number." })
      .int("Use a whole number.")
      .min(1, "At least 1.")
      .max(100000, "At most 100,000."),
    alertWindowMinutes: z.coerce
      .number({ error: "Enter a number of minutes." })
      .int("Use whole minutes.")
      .min(1, "At least 1 minute.")
      .max(10080, "At most a week (10080 minutes)."),
    eventRetentionDays: z.coerce
      .number({ error: "Enter a number of days." })
      .int("Use whole days.")
      .min(30, "At least 30 days.")
      .max(3650, "At most 3650 days."),
    // Hosts the server may fetch OpenAPI descriptions from (comma-separated, exact host[:port]); empty
    // = no fetching at all. The server never fetches from anywhere else (no SSRF into the network).
    specFetchHosts: z
      .string()
      .trim()
      .max(1000, "At most 1000 characters.")
      .transform((v) =>
        v
          .split(/[\s,]+/)
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean)
          .join(","),
      )
      .refine(
        (v) => v === "" || v.split(",").every((h) => /^[a-z0-9.-]+(:\d{1,5})?$/.test(h)),
        "List host names (and optional :port) separated by commas, e.g. git.internal.example, 10.2.3.4:8443.",
      ),
    // Who must sign in with a second factor (TOTP or a passkey) besides their password. ISM-1173 asks it
    // of privileged users, ISM-0974 of everyone; "nobody" exists for demonstrations and is flagged.
    mfaRequiredFor: z.enum(MFA_REQUIREMENTS, { error: "Choose who must use a second factor." }),
    // Whether a single sign-on the requirement above covers must show a second factor used at the identity
    // provider (an amr claim naming one), or the provider is trusted without the claim.
    oidcMfaClaim: z.enum(OIDC_MFA_CLAIMS, { error: "Choose whether the provider's MFA claim is required." }),
  })
  .strict();
export type TSettings = z.infer<typeof ZSettings>;

// Quarters start in January by default (calendar quarters); 7 gives Australian financial-year quarters.
// Reviews are due reviewDueDays after the quarter ends.
export const DEFAULT_SETTINGS: TSettings = {
  rotationDays: 90,
  notSeenDays: 90,
  quarterStartMonth: 1,
  reviewDueDays: 14,
  autoOpenCampaigns: 0,
  tokenMaxDays: 90,
  alertThreshold: 10,
  alertWindowMinutes: 5,
  eventRetentionDays: 400,
  specFetchHosts: "",
  ...MFA_SETTING_DEFAULTS,
};
