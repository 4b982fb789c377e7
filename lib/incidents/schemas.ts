import { z } from "zod";
import { nameRule } from "@/lib/input/validation";

export const INCIDENT_TYPES = [
  "UNAUTHORISED_ACCESS_ATTEMPT",
  "CREDENTIAL_COMPROMISE",
  "AUTHORISATION_BYPASS",
  "MISCONFIGURATION",
  "DATA_EXPOSURE",
  "OTHER",
] as const;
export const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export const INCIDENT_STATUSES = ["REPORTED", "TRIAGED", "CONTAINED", "RESOLVED", "CLOSED"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_LABELS = {
  type: {
    UNAUTHORISED_ACCESS_ATTEMPT: "Unauthorised access attempt",
    CREDENTIAL_COMPROMISE: "Credential compromise",
    AUTHORISATION_BYPASS: "Authorisation bypass",
    MISCONFIGURATION: "Misconfiguration",
    DATA_EXPOSURE: "Data exposure",
    OTHER: "Other",
  },
  severity: { LOW: "Low", MEDIUM: "Medium", HIGH: "High", CRITICAL: "Critical" },
  status: { REPORTED: "Reported", TRIAGED: "Triaged", CONTAINED: "Contained", RESOLVED: "Resolved", CLOSED: "Closed" },
} as const;

// The severity scale as shown in the form.
export const SEVERITY_HELP = {
  LOW: "Low — no data accessed or changed; a blocked or failed attempt.",
  MEDIUM: "Medium — limited access to OFFICIAL data, or a weakness found before anyone used it.",
  HIGH: "High — non-public data accessed or changed, or a credential known to be misused.",
  CRITICAL: "Critical — PROTECTED or higher data exposed, or the attacker still has access.",
} as const satisfies Record<(typeof SEVERITIES)[number], string>;

const SHORT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/** A time as sent: RFC 3339 with its offset, or "YYYY-MM-DDTHH:mm" (the form's input) taken as UTC. */
export const toDateTime = (v: string) => new Date(SHORT.test(v) ? `${v}:00Z` : v.replace(" ", "T"));

/**
 * A date and time: RFC 3339 (`2026-12-01T08:10:00Z`, with fractions, with `+11:00`) as REST callers
 * send it, or `YYYY-MM-DDTHH:mm` in UTC as the forms do (their label says UTC). Given back as the
 * instant in UTC (`2026-12-01T08:10:00.000Z`), so times compare as text and are stored exactly.
 */
export const ZDateTime = (label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .describe("RFC 3339 date-time (2026-12-01T08:10:00Z, 2026-12-01T19:10:00+11:00), or YYYY-MM-DDTHH:mm in UTC.")
    .refine(
      (v) => (SHORT.test(v) || RFC3339.test(v)) && !Number.isNaN(toDateTime(v).getTime()),
      `${label} must be a date and time like 2026-11-22T09:30:00Z (RFC 3339), or 2026-11-22T09:30 in UTC.`,
    )
    .transform((v) => toDateTime(v).toISOString());

/** Clocks differ by a few minutes; a time further ahead than this has not happened yet. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** A time that has already happened (what a timeline records). */
export const ZPastDateTime = (label: string) =>
  ZDateTime(label).refine((v) => new Date(v).getTime() <= Date.now() + CLOCK_SKEW_MS, `${label} is in the future.`);

/** Moving an incident to its next status, at the time it happened (empty or absent: now). */
export const ZAdvance = z.object({ at: z.union([z.literal(""), ZPastDateTime("When")]).default("") }).strict();
export type TAdvance = z.infer<typeof ZAdvance>;

export const ZIncidentInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, "Title is required.")
      .max(200, "At most 200 characters.")
      .superRefine(nameRule("Title")),
    type: z.enum(INCIDENT_TYPES, { error: "Choose a valid incident type." }),
    severity: z.enum(SEVERITIES, { error: "Choose a valid severity." }),
    detectedAt: ZPastDateTime("Detected at"),
    reportedAt: ZPastDateTime("Reported at"),
    reportedBy: z.string().trim().min(1, "Say who reported it.").max(200, "At most 200 characters."),
    description: z.string().trim().min(1, "Describe what happened.").max(20_000, "At most 20,000 characters."),
    apiIds: z.array(z.string().max(64)).min(1, "Choose at least one affected API.").max(200, "At most 200 APIs."),
    affectedClients: z.string().trim().max(2000, "At most 2000 characters."),
    rootCause: z.string().trim().max(20_000, "At most 20,000 characters."),
    lessonsLearned: z.string().trim().max(20_000, "At most 20,000 characters."),
  })
  .strict()
  .refine((v) => !v.detectedAt || !v.reportedAt || v.reportedAt >= v.detectedAt, {
    path: ["reportedAt"],
    message: "It cannot be reported before it was detected.",
  });
export type TIncidentInput = z.infer<typeof ZIncidentInput>;

export const ZEntry = z
  .object({
    kind: z.enum(["note", "notification"], { error: "Choose a note or a notification." }),
    // Optional over REST: no time means now, no recipient a note's empty one.
    at: z.union([z.literal(""), ZPastDateTime("Time")]).default(""),
    recipient: z.string().trim().max(200, "At most 200 characters.").default(""),
    text: z.string().trim().min(1, "Write what happened.").max(5000, "At most 5000 characters."),
  })
  .strict()
  .refine((v) => v.kind !== "notification" || v.recipient.length > 0, {
    path: ["recipient"],
    message: "Say who was notified (e.g. CISO, ASD ReportCyber, affected parties).",
  });
