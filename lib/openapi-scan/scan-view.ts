// The posture scan as REST answers with it, defined once: what attaching a description gives
// (ScanResultView, lib/openapi-scan/attach-description.ts) and the attached description's report
// (ScanReportView, lib/openapi-scan/queries.ts). The types those functions return and the schemas the REST
// description gives (ScanResult, ScanReport) both come from here. Client-safe.
import { z } from "zod";
import {
  SCHEME_KINDS,
  SEVERITIES,
  type Finding,
  type ScannedOperation,
  type ScanResult,
} from "@/lib/openapi-scan/scan";
import { TRIAGE_KINDS, TRIAGE_STATUS_LABELS, type TriageStatus } from "@/lib/openapi-scan/triage-schemas";
import { ZInstant, type SameShape } from "@/lib/records/json-schema";

/** Where an attached description came from: uploaded on the page, PUT over REST, or fetched from a URL. */
export const DESCRIPTION_SOURCES = ["upload", "api", "url"] as const;
const DIALECTS = ["swagger-2.0", "openapi-3.0", "openapi-3.1"] as const;

const ZFinding = z.object({
  rule: z.string(),
  severity: z.enum(SEVERITIES),
  pointer: z.string().meta({ description: "JSON pointer into the description; empty for the whole file" }),
  message: z.string(),
});
const ZOperation = z.object({
  method: z.string(),
  path: z.string(),
  pointer: z.string(),
  security: z.enum(["required", "optional", "none"]),
  schemes: z.array(z.string()),
});
const count = z.int().min(0);
const ZCounts = z.object({
  operations: count,
  writes: count,
  unsecured: count,
  unsecuredWrites: count,
  unsecuredReads: count,
  optional: count,
});
const ZScheme = z.object({ name: z.string(), kind: z.enum(SCHEME_KINDS) });
// The scan (lib/openapi-scan/scan.ts) declares these by hand: the typecheck fails here if they drift.
const _sameScan: [
  SameShape<z.infer<typeof ZFinding>, Finding>,
  SameShape<z.infer<typeof ZOperation>, ScannedOperation>,
  SameShape<z.infer<typeof ZCounts>, ScanResult["counts"]>,
  SameShape<z.infer<typeof ZScheme>, ScanResult["schemes"][number]>,
] = [true, true, true, true];
void _sameScan;

const scanned = {
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  dialect: z.enum(DIALECTS),
  counts: ZCounts,
  anonWrites: count.meta({ description: "Write operations anyone can call, as the file says (before triage)" }),
  anonReads: count.meta({ description: "Read operations anyone can call, as the file says (before triage)" }),
};

export const ZScanResultView = z
  .object({ ...scanned, findings: z.array(ZFinding) })
  .meta({ description: "The scan of the description just attached, against the API's record." });
export type ScanResultView = z.infer<typeof ZScanResultView>;

export const ZFindingTriageView = z
  .object({
    id: z.string(),
    version: z.int(),
    kind: z.enum(TRIAGE_KINDS),
    status: z.enum(Object.keys(TRIAGE_STATUS_LABELS) as [TriageStatus, ...TriageStatus[]]),
    reason: z.string(),
    requestedBy: z.string().meta({ description: "A name, or system" }),
    requestedById: z.string().nullable(),
    approver: z.string(),
    approverId: z.string(),
    requestedAt: ZInstant,
    expiresOn: z.string().meta({ format: "date" }),
    decidedAt: ZInstant.nullable(),
    decisionNote: z.string(),
  })
  .meta({ description: "The triage awaiting approval or in force for this finding, if any" });
export type FindingTriageView = z.infer<typeof ZFindingTriageView>;

export const ZScanReportView = z
  .object({
    ...scanned,
    title: z.string(),
    source: z.enum(DESCRIPTION_SOURCES),
    sourceUrl: z.string().meta({ description: "Where it was fetched from (source url), or empty" }),
    scannedAt: ZInstant,
    uploadedBy: z.string().meta({ description: "A name, or system" }),
    worstOpen: z.enum(SEVERITIES).nullable().meta({ description: "The most severe finding no triage in force covers" }),
    findings: z.array(ZFinding.extend({ triage: ZFindingTriageView.nullable() })),
    operations: z.array(ZOperation),
    schemes: z.array(ZScheme),
  })
  .meta({ description: "The attached description, scanned again against the API's current record." });
export type ScanReportView = z.infer<typeof ZScanReportView>;
