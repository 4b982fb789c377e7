// An evidence export as the page and REST show it (lib/evidence/queries.ts), defined once: the type the
// routes answer with and the schema the REST description gives (EvidenceExport). Client-safe.
import { z } from "zod";
import { ZInstant } from "@/lib/records/json-schema";

const ZSha256OrNull = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .nullable();

export const ZEvidenceExportView = z.object({
  id: z.string(),
  requestedBy: z.string(),
  period: z.string(),
  scope: z
    .object({
      period: z.string(),
      controls: z.array(z.string()),
      teamIds: z.array(z.string()),
      apiIds: z.array(z.string()),
    })
    .meta({ description: "The scope as checked: the period, and the controls, teams and APIs it was limited to." }),
  status: z.enum(["RUNNING", "DONE", "FAILED"]),
  progress: z
    .object({ step: z.string(), percent: z.int().min(0).max(100) })
    .nullable()
    .meta({ description: "While RUNNING: the step and how far it is." }),
  error: z.string().nullable(),
  manifestSha256: ZSha256OrNull,
  sha256: ZSha256OrNull.meta({ description: "The ZIP's SHA-256 once DONE" }),
  bytes: z.int().min(0),
  files: z.int().min(0),
  requestedAt: ZInstant,
  finishedAt: ZInstant.nullable(),
});
export type EvidenceExportView = z.infer<typeof ZEvidenceExportView>;
