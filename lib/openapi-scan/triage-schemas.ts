import { z } from "zod";
import { ZDate } from "@/lib/input/date-input";

export const TRIAGE_KINDS = ["ACCEPTED_RISK", "FALSE_POSITIVE"] as const;
export type TriageKind = (typeof TRIAGE_KINDS)[number];
export const TRIAGE_KIND_LABELS: Record<TriageKind, string> = {
  ACCEPTED_RISK: "Accepted risk",
  FALSE_POSITIVE: "False positive",
};
export const TRIAGE_STATUS_LABELS = {
  PENDING: "Awaiting approval",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  WITHDRAWN: "Withdrawn",
  EXPIRED: "Expired",
} as const;
export type TriageStatus = keyof typeof TRIAGE_STATUS_LABELS;

/** The longest a triage may last: a year, then the finding is looked at again. */
export const MAX_TRIAGE_DAYS = 365;
/** The expiry the form proposes. */
export const DEFAULT_TRIAGE_DAYS = 90;

/** Asking for a finding (by rule and JSON pointer) to be accepted as a risk or marked a false positive. */
export const ZTriageRequest = z
  .object({
    rule: z.string().trim().min(1).max(60),
    pointer: z.string().max(2000),
    kind: z.enum(TRIAGE_KINDS, { error: "Choose accepted risk or false positive." }),
    reason: z
      .string()
      .trim()
      .min(10, "Say why, in a sentence or more (an approver and later an auditor read it).")
      .max(2000, "At most 2000 characters."),
    approverId: z.string().trim().min(1, "Choose who approves it.").max(64),
    expiresOn: ZDate("Expiry date"),
  })
  .strict();
export type TTriageRequest = z.infer<typeof ZTriageRequest>;

/** The approver's decision; a rejection says why. */
export const ZTriageDecision = z
  .object({
    decision: z.enum(["APPROVE", "REJECT"], { error: "Choose approve or reject." }),
    note: z.string().trim().max(2000, "At most 2000 characters."),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.decision === "REJECT" && !v.note)
      ctx.addIssue({ code: "custom", path: ["note"], message: "Say why it is rejected." });
  });
export type TTriageDecision = z.infer<typeof ZTriageDecision>;

/** Withdrawing a triage (the finding counts again at once). */
export const ZTriageWithdrawal = z
  .object({ note: z.string().trim().min(1, "Say why it is withdrawn.").max(2000, "At most 2000 characters.") })
  .strict();
