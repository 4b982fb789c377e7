import { z } from "zod";
import { ZDate, todayInput } from "@/lib/input/date-input";
import { nameRule } from "@/lib/input/validation";

export const ANSWERS = ["YES", "PARTIAL", "NO", "NOT_APPLICABLE"] as const;
export type Answer = (typeof ANSWERS)[number];
export const ANSWER_LABELS: Record<Answer, string> = {
  YES: "Yes",
  PARTIAL: "Partly",
  NO: "No",
  NOT_APPLICABLE: "Not applicable",
};

export const OUTCOMES = ["APPROVED", "APPROVED_WITH_CONDITIONS", "REJECTED"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  APPROVED: "Approved",
  APPROVED_WITH_CONDITIONS: "Approved with conditions",
  REJECTED: "Rejected",
};

export const ZChecklistInput = z
  .object({
    vendor: z
      .string()
      .trim()
      .min(1, "Vendor is required.")
      .max(200, "At most 200 characters.")
      .superRefine(nameRule("Vendor")),
    product: z
      .string()
      .trim()
      .min(1, "Product or service is required.")
      .max(200, "At most 200 characters.")
      .superRefine(nameRule("Product")),
    description: z.string().trim().max(5000, "At most 5000 characters."),
    requestedOn: ZDate("Date").refine((v) => v <= todayInput(), "The date cannot be in the future."),
    reviewerId: z.string().min(1, "Choose a reviewer.").max(64),
  })
  .strict();
export type TChecklistInput = z.infer<typeof ZChecklistInput>;

export const ZAnswersInput = z
  .object({
    answers: z
      .array(
        z
          .object({
            position: z.number().int().min(0).max(1000),
            answer: z.union([z.enum(ANSWERS), z.literal("")], { error: "Choose an answer." }),
            evidence: z.string().trim().max(5000, "At most 5000 characters."),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();
export type TAnswersInput = z.infer<typeof ZAnswersInput>;

export const ZDecisionInput = z
  .object({
    outcome: z.enum(OUTCOMES, { error: "Choose an outcome." }),
    conditions: z.string().trim().max(5000, "At most 5000 characters."),
  })
  .strict()
  .refine((v) => v.outcome === "APPROVED" || v.conditions.length > 0, {
    path: ["conditions"],
    message: "Give the conditions, or the reasons for rejecting.",
  });

export const ZQuestionInput = z
  .object({
    text: z.string().trim().min(1, "Write the question.").max(500, "At most 500 characters."),
    help: z.string().trim().max(1000, "At most 1000 characters."),
  })
  .strict();
