import { z } from "zod";
import { ZOptionalDate } from "@/lib/input/date-input";

export const CHECKLIST_ITEMS = [
  ["authMethod", "The authentication method is still appropriate"],
  ["authzRules", "The authorisation rules are still right"],
  ["credentialsRotated", "Credentials have been rotated"],
  ["failedAuthAlerts", "Failed-authentication alerts were looked at"],
  ["incidents", "Incidents since the last review were discussed"],
  ["documentation", "Documentation is current"],
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number][0];
const ITEM_KEYS = CHECKLIST_ITEMS.map(([k]) => k) as [ChecklistItem, ...ChecklistItem[]];

export const DECISIONS = ["KEEP", "REVOKE", "CHANGE_SCOPE"] as const;
/** A revoke or change-scope decision's follow-up is due this many days after sign-off. */
export const FOLLOW_UP_DUE_DAYS = 14;
export const DECISION_LABELS = { KEEP: "Keep", REVOKE: "Revoke", CHANGE_SCOPE: "Change scope" } as const;
export const ANSWER_LABELS = { YES: "Yes", NO: "No", NA: "n.a." } as const;

export const ZDecision = z
  .object({
    decision: z.enum(DECISIONS, { error: "Choose keep, revoke or change scope." }),
    reason: z.string().trim().max(1000, "The reason must be at most 1000 characters."),
  })
  .strict()
  .refine((d) => d.decision === "KEEP" || d.reason.length > 0, {
    path: ["reason"],
    message: "Give a reason for revoking or changing the scope.",
  });

export const ZChecklistAnswer = z
  .object({
    answer: z.enum(["YES", "NO", "NA"], { error: "Answer yes, no or n.a." }),
    comment: z.string().trim().max(1000, "Comments must be at most 1000 characters."),
  })
  .strict();

export const ZReviewInput = z
  .object({
    meetingDate: ZOptionalDate("Meeting date"),
    attendees: z.string().trim().max(1000, "Attendees must be at most 1000 characters."),
    notes: z.string().trim().max(10_000, "Notes must be at most 10,000 characters."),
    findings: z.string().trim().max(10_000, "Findings must be at most 10,000 characters."),
    checklist: z.partialRecord(z.enum(ITEM_KEYS), ZChecklistAnswer),
    decisions: z.record(z.string().max(64), ZDecision),
  })
  .strict();
export type TReviewInput = z.infer<typeof ZReviewInput>;
export type TDecision = z.infer<typeof ZDecision>;

export const ZOpenCampaign = z
  .object({
    quarter: z
      .string()
      .trim()
      .regex(/^\d{4}-Q[1-4]$/, "Write the quarter like 2026-Q4."),
    extraApiIds: z.array(z.string().max(64)).max(1000),
  })
  .strict();

export const ZAddendum = z
  .object({ text: z.string().trim().min(1, "Write the correction.").max(5000, "At most 5000 characters.") })
  .strict();
/** An API the automatic scope left out, added to an open campaign by its exact name. */
export const ZAddToCampaign = z
  .object({ apiName: z.string().trim().min(1, "Enter the API's name.").max(120, "At most 120 characters.") })
  .strict();
