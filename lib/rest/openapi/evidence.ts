import { errors, scopes, idempotencyKey, idParam, location, sentHeader } from "@/lib/rest/openapi/shared";

const sha256OrNull = { type: ["string", "null"], pattern: "^[0-9a-f]{64}$" };

/** The schemas of the Evidence tag's responses. */
export const evidenceSchemas = () => ({
  EvidenceExport: {
    type: "object",
    required: ["id", "requestedBy", "period", "scope", "status", "progress", "error", "sha256", "requestedAt"],
    properties: {
      id: { type: "string" },
      requestedBy: { type: "string" },
      period: { type: "string" },
      scope: {
        type: "object",
        description: "The scope as checked: the period, and the controls, teams and APIs it was limited to.",
        required: ["period", "controls", "teamIds", "apiIds"],
        properties: {
          period: { type: "string" },
          controls: { type: "array", items: { type: "string" } },
          teamIds: { type: "array", items: { type: "string" } },
          apiIds: { type: "array", items: { type: "string" } },
        },
      },
      status: { type: "string", enum: ["RUNNING", "DONE", "FAILED"] },
      progress: {
        type: ["object", "null"],
        description: "While RUNNING: the step and how far it is.",
        properties: { step: { type: "string" }, percent: { type: "integer", minimum: 0, maximum: 100 } },
      },
      error: { type: ["string", "null"] },
      manifestSha256: sha256OrNull,
      sha256: { ...sha256OrNull, description: "The ZIP's SHA-256 once DONE" },
      bytes: { type: "integer" },
      files: { type: "integer" },
      requestedAt: { type: "string", format: "date-time" },
      finishedAt: { type: ["string", "null"], format: "date-time" },
    },
  },
});

/** The OpenAPI paths of the Evidence tag. */
export const evidencePaths = {
  "/api/v1/evidence/exports": {
    get: {
      operationId: "listEvidenceExports",
      tags: ["Evidence"],
      summary: "Evidence exports, newest first",
      security: scopes("evidence:read"),
      responses: {
        "200": {
          description: "Exports with their status.",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { data: { type: "array", items: { $ref: "#/components/schemas/EvidenceExport" } } },
              },
            },
          },
        },
        ...errors("401", "403", "429"),
      },
    },
    post: {
      operationId: "requestEvidenceExport",
      tags: ["Evidence"],
      summary: "Request an evidence bundle for a scope",
      description:
        "Checks the scope (a bad period or an unknown control is refused with 400), records the request and builds the bundle in the background. Poll the Location until status is DONE, then GET its bundle. Auditors and admins only; a token limited to one team must name that team alone in teamIds.",
      security: scopes("evidence:read"),
      parameters: [idempotencyKey],
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/EvidenceScope" } } },
      },
      responses: {
        "202": {
          description: "Accepted; building.",
          headers: { Location: location },
          content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } },
        },
        ...errors("400", "401", "403", "413", "415", "422", "429"),
      },
    },
  },
  "/api/v1/evidence/exports/{id}": {
    parameters: [idParam],
    get: {
      operationId: "getEvidenceExport",
      tags: ["Evidence"],
      summary: "An export's status and progress",
      security: scopes("evidence:read"),
      responses: {
        "200": {
          description: "The export.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/EvidenceExport" } } },
        },
        ...errors("401", "403", "404", "429"),
      },
    },
  },
  "/api/v1/evidence/exports/{id}/bundle": {
    parameters: [idParam],
    get: {
      operationId: "downloadEvidenceBundle",
      tags: ["Evidence"],
      summary: "Download a finished bundle (ZIP)",
      description:
        "ETag and Repr-Digest carry the ZIP's SHA-256. Check it with the steps in its VERIFY.md, or `npm run evidence:verify -- bundle.zip`.",
      security: scopes("evidence:read"),
      responses: {
        "200": {
          description: "The bundle.",
          headers: {
            ETag: sentHeader({ type: "string", pattern: '^"[0-9a-f]{64}"$' }, "The ZIP's SHA-256 (hex), quoted."),
            "Repr-Digest": sentHeader(
              { type: "string", pattern: "^sha-256=:[A-Za-z0-9+/]{43}=:$" },
              "The ZIP's SHA-256 (RFC 9530).",
            ),
          },
          content: { "application/zip": { schema: { type: "string", contentMediaType: "application/zip" } } },
        },
        ...errors("401", "403", "404", "409", "429"),
      },
    },
  },
  "/api/v1/evidence/public-key": {
    get: {
      operationId: "getEvidencePublicKey",
      tags: ["Evidence"],
      summary: "The public key that signs evidence bundles (PEM)",
      security: scopes("evidence:read"),
      responses: {
        "200": {
          description: "Ed25519 public key; X-Key-Fingerprint-SHA256 is the SHA-256 of its DER form.",
          headers: { "X-Key-Fingerprint-SHA256": sentHeader({ type: "string" }) },
          content: { "application/x-pem-file": { schema: { type: "string" } } },
        },
        ...errors("401", "403", "429"),
      },
    },
  },
};
