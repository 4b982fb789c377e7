import { z } from "zod";
import { ZDate } from "@/lib/input/date-input";
import { nameRule } from "@/lib/input/validation";

export const DOCUMENT_KINDS = [
  "ACCESS_CONTROL_POLICY",
  "API_SECURITY_STANDARD",
  "INCIDENT_PROCEDURE",
  "TRAINING_MATERIALS",
  "OTHER",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

// The documents an ISM-2013/2014 assessment asks to see: each must have an approved version in force
// that is not overdue for review, or the dashboard flags it.
export const REQUIRED_KINDS = [
  "ACCESS_CONTROL_POLICY",
  "API_SECURITY_STANDARD",
  "INCIDENT_PROCEDURE",
] as const satisfies readonly DocumentKind[];

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  ACCESS_CONTROL_POLICY: "Access-control policy",
  API_SECURITY_STANDARD: "API security standard",
  INCIDENT_PROCEDURE: "Incident-handling procedure for API access",
  TRAINING_MATERIALS: "Training materials",
  OTHER: "Other",
};

export const ZDocumentInput = z
  .object({
    kind: z.enum(DOCUMENT_KINDS, { error: "Choose a document kind." }),
    title: z
      .string()
      .trim()
      .min(1, "Title is required.")
      .max(200, "At most 200 characters.")
      .superRefine(nameRule("Title")),
    description: z.string().trim().max(2000, "At most 2000 characters."),
  })
  .strict();
export type TDocumentInput = z.infer<typeof ZDocumentInput>;

/** A new version's details; the content is either the uploaded file or `body` (checked by the service). */
export const ZVersionInput = z
  .object({
    label: z.string().trim().max(40, "At most 40 characters."),
    changeNote: z.string().trim().max(2000, "At most 2000 characters."),
    body: z.string().trim().max(200_000, "At most 200,000 characters; upload a file instead."),
    effectiveDate: ZDate("Effective date"),
    nextReviewDate: ZDate("Next review date"),
  })
  .strict()
  .refine((v) => !v.effectiveDate || !v.nextReviewDate || v.nextReviewDate > v.effectiveDate, {
    path: ["nextReviewDate"],
    message: "The next review must be after the effective date.",
  });
export type TVersionInput = z.infer<typeof ZVersionInput>;

export const ZApproveInput = z.object({ approvedOn: ZDate("Approval date") }).strict();
