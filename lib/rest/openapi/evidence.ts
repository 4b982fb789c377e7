import { ZEvidenceExportView } from "@/lib/evidence/export-view";
import { closedObject } from "@/lib/records/json-schema";
import {
  view,
  writeAnswer,
  errors,
  scopes,
  idempotencyKey,
  idParam,
  location,
  sentHeader,
} from "@/lib/rest/openapi/shared";

/** The schemas of the Evidence tag's responses. */
export const evidenceSchemas = () => ({ EvidenceExport: view(ZEvidenceExportView) });

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
              schema: closedObject({
                data: { type: "array", items: { $ref: "#/components/schemas/EvidenceExport" } },
              }),
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
          content: writeAnswer(),
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
