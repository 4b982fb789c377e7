import { SCHEME_KINDS, SEVERITIES } from "@/lib/openapi-scan/scan";
import { DESCRIPTION_SOURCES } from "@/lib/openapi-scan/attach-description";
import { TRIAGE_KINDS, TRIAGE_STATUS_LABELS } from "@/lib/openapi-scan/triage-schemas";

// The schemas of the Posture scan tag (its paths are with the inventory's, lib/rest/openapi/inventory.ts):
// what attaching a description answers (ScanResult), and the attached description's report (ScanReport).
const nullable = (type: string) => ({ type: [type, "null"] });
const finding = {
  type: "object",
  required: ["rule", "severity", "pointer", "message"],
  properties: {
    rule: { type: "string" },
    severity: { type: "string", enum: [...SEVERITIES] },
    pointer: { type: "string", description: "JSON pointer into the description; empty for the whole file" },
    message: { type: "string" },
  },
};
const triage = {
  type: ["object", "null"],
  description: "The triage awaiting approval or in force for this finding, if any",
  required: ["id", "version", "kind", "status", "reason", "approverId", "requestedAt", "expiresOn"],
  properties: {
    id: { type: "string" },
    version: { type: "integer" },
    kind: { type: "string", enum: [...TRIAGE_KINDS] },
    status: { type: "string", enum: Object.keys(TRIAGE_STATUS_LABELS) },
    reason: { type: "string" },
    requestedBy: { type: "string" },
    requestedById: nullable("string"),
    approver: { type: "string" },
    approverId: { type: "string" },
    requestedAt: { type: "string", format: "date-time" },
    expiresOn: { type: "string", format: "date" },
    decidedAt: { type: ["string", "null"], format: "date-time" },
    decisionNote: { type: "string" },
  },
};
const counts = {
  type: "object",
  required: ["operations", "writes", "unsecured", "unsecuredWrites", "unsecuredReads", "optional"],
  properties: Object.fromEntries(
    ["operations", "writes", "unsecured", "unsecuredWrites", "unsecuredReads", "optional"].map((k) => [
      k,
      { type: "integer", minimum: 0 },
    ]),
  ),
};
const result = {
  sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
  dialect: { type: "string", enum: ["swagger-2.0", "openapi-3.0", "openapi-3.1"] },
  counts,
  anonWrites: { type: "integer" },
  anonReads: { type: "integer" },
};

export const postureSchemas = () => ({
  ScanResult: {
    type: "object",
    description: "The scan of the description just attached, against the API's record.",
    required: [...Object.keys(result), "findings"],
    properties: { ...result, findings: { type: "array", items: finding } },
  },
  ScanReport: {
    type: "object",
    description: "The attached description, scanned again against the API's current record.",
    required: [...Object.keys(result), "title", "source", "scannedAt", "worstOpen", "findings", "operations"],
    properties: {
      ...result,
      title: { type: "string" },
      source: { type: "string", enum: [...DESCRIPTION_SOURCES] },
      sourceUrl: { type: "string" },
      scannedAt: { type: "string", format: "date-time" },
      uploadedBy: { type: "string" },
      worstOpen: {
        type: ["string", "null"],
        enum: [...SEVERITIES, null],
        description: "The most severe finding no triage in force covers",
      },
      findings: {
        type: "array",
        items: { ...finding, required: [...finding.required, "triage"], properties: { ...finding.properties, triage } },
      },
      operations: {
        type: "array",
        items: {
          type: "object",
          required: ["method", "path", "pointer", "security", "schemes"],
          properties: {
            method: { type: "string" },
            path: { type: "string" },
            pointer: { type: "string" },
            security: { type: "string", enum: ["required", "optional", "none"] },
            schemes: { type: "array", items: { type: "string" } },
          },
        },
      },
      schemes: {
        type: "array",
        items: {
          type: "object",
          required: ["name", "kind"],
          properties: {
            name: { type: "string" },
            kind: { type: "string", enum: [...SCHEME_KINDS] },
          },
        },
      },
    },
  },
});
