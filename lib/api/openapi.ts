import { z } from "zod";
import { ZApiInput } from "@/lib/apis/schemas";
import { ZClientInput } from "@/lib/clients/schemas";
import { ZIncidentInput } from "@/lib/incidents/schemas";
import { ENUM_FILTERS, SORT_FIELDS } from "@/lib/apis/list-params";
import { TOKEN_SCOPES } from "@/lib/authz/policy";
import { SCOPE_LABELS } from "@/lib/tokens/schemas";
import { OUTCOMES as EVENT_OUTCOMES, ZAuthEvent } from "@/lib/events/schemas";
import { ZScopeInput } from "@/lib/evidence/scope";

// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json and rendered at /api-docs.
// Request bodies come from the same zod schemas the server validates with, so the description cannot
// drift from what is enforced; a test checks every route file is described and every described route
// exists, and @redocly/openapi-core lints it.

const schema = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  return rest;
};

export const PROBLEM_CODES = {
  validation: "A field, parameter or body is not valid; `errors` lists each one.",
  unauthenticated: "No valid token or session.",
  forbidden: "The token's scopes or the account's role do not allow this, on this object.",
  "not-found": "The object does not exist (or was deleted).",
  conflict: "The change conflicts with the current state.",
  "precondition-failed": "If-Match is missing or stale: read the object again and re-apply the change.",
  "rate-limited": "Too many requests for this token; see Retry-After.",
  "payload-too-large": "The body is over the route's size limit.",
  "unsupported-media-type": "The body is not JSON.",
  "idempotency-key-reused": "The Idempotency-Key was used before with a different request.",
  internal: "A server error; nothing was changed.",
} as const;

const problemRef = { $ref: "#/components/responses/Problem" };
const errors = (...codes: string[]) => Object.fromEntries(codes.map((c) => [c, problemRef]));
const scopes = (...s: string[]) => [{ bearerToken: s }, { session: [] }];
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Any unique string (1–255 visible ASCII). A retry with the same key and body returns the first response (header Idempotent-Replayed: true) instead of doing the write again.",
  schema: { type: "string", maxLength: 255 },
};
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", maxLength: 64 } };

const controlStatus = { type: "string", enum: ["NOT_APPLICABLE", "MET", "NOT_MET", "CANNOT_JUDGE"] };
const apiSummary = {
  type: "object",
  required: ["id", "name", "purpose", "lifecycle", "exposure", "sensitivity", "team", "controls", "updatedAt"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    purpose: { type: "string" },
    lifecycle: { type: "string" },
    exposure: { type: "string" },
    partnerLinkPrivate: { type: "boolean" },
    sensitivity: { type: "string" },
    authMethods: { type: "array", items: { type: "string" } },
    authzModel: { type: ["string", "null"] },
    modifiesData: { type: ["boolean", "null"] },
    readsNonPublic: { type: ["boolean", "null"] },
    centrallyLogged: { type: ["boolean", "null"] },
    dataCategories: { type: "array", items: { type: "string" } },
    tags: { type: "array", items: { type: "string" } },
    hasWarning: { type: "boolean" },
    updatedAt: { type: "string", format: "date-time" },
    team: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
    owner: { type: ["object", "null"], properties: { id: { type: "string" }, name: { type: "string" } } },
    controls: { type: "object", additionalProperties: controlStatus, description: "ISM control id → status" },
    overall: { type: "string" },
  },
};

export function openApiDocument(): Record<string, unknown> {
  const filterParams = Object.entries(ENUM_FILTERS).map(([name, values]) => ({
    name,
    in: "query",
    required: false,
    description: `Comma-separated; any of ${values.join(", ")}.`,
    schema: { type: "string" },
  }));
  return {
    openapi: "3.1.0",
    info: {
      title: "ApiLedger REST API",
      version: "1.0.0",
      description:
        "The inventory of internal APIs, their clients and grants, incidents and access reviews. Every call is authenticated (a bearer token, or the dashboard session for the app's own pages), authorised by the same policy as the dashboard narrowed to the token's scopes, rate-limited per token, and logged.",
      license: { name: "Proprietary", identifier: "LicenseRef-ApiLedger" },
    },
    servers: [{ url: "/", description: "This installation" }],
    security: [{ bearerToken: [] }],
    tags: [
      { name: "Inventory", description: "Registered APIs." },
      { name: "Clients and grants", description: "Who may call each API." },
      { name: "Incidents", description: "API access incidents." },
      {
        name: "Evidence",
        description:
          "Signed evidence bundles for auditors, built in the background: request one, poll it, download the ZIP.",
      },
      { name: "Access reviews", description: "Quarterly access reviews (read only)." },
      { name: "Posture scan", description: "OpenAPI descriptions attached to inventory entries, and their findings." },
      {
        name: "Authentication events",
        description: "Events from gateways and services: who called which API, when, and with what outcome.",
      },
      { name: "Backstage", description: "Interoperability with Backstage software catalogs." },
      { name: "Meta", description: "This description." },
    ],
    paths: {
      "/api/v1/apis": {
        get: {
          operationId: "listApis",
          tags: ["Inventory"],
          summary: "List APIs",
          description:
            "The inventory with the dashboard's filters and sort, paged by cursor: pass `nextCursor` back as `cursor` (with the same filters and sort). Pages stay consistent while others add or remove APIs.",
          security: scopes("inventory:read"),
          parameters: [
            {
              name: "q",
              in: "query",
              required: false,
              description: "Free-text search.",
              schema: { type: "string", maxLength: 200 },
            },
            {
              name: "sort",
              in: "query",
              required: false,
              description: `One of ${SORT_FIELDS.join(", ")}; prefix - for descending.`,
              schema: { type: "string" },
            },
            {
              name: "team",
              in: "query",
              required: false,
              description: "Comma-separated team ids.",
              schema: { type: "string" },
            },
            {
              name: "owner",
              in: "query",
              required: false,
              description: "A user id, or `none`.",
              schema: { type: "string" },
            },
            { name: "tag", in: "query", required: false, schema: { type: "string" } },
            ...filterParams,
            { name: "cursor", in: "query", required: false, schema: { type: "string" } },
            {
              name: "limit",
              in: "query",
              required: false,
              schema: { type: "integer", minimum: 1, maximum: 200, default: 50 },
            },
          ],
          responses: {
            "200": {
              description: "A page of APIs.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["data", "nextCursor"],
                    properties: {
                      data: { type: "array", items: apiSummary },
                      nextCursor: { type: ["string", "null"] },
                    },
                  },
                },
              },
            },
            ...errors("400", "401", "403", "429"),
          },
        },
        post: {
          operationId: "createApi",
          tags: ["Inventory"],
          summary: "Register an API",
          security: scopes("inventory:write"),
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/ApiInput" } } },
          },
          responses: {
            "201": {
              description: "Registered.",
              headers: { Location: { schema: { type: "string" } } },
              content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } },
            },
            ...errors("400", "401", "403", "413", "415", "422", "429"),
          },
        },
      },
      "/api/v1/apis/{id}": {
        parameters: [idParam],
        get: {
          operationId: "getApi",
          tags: ["Inventory"],
          summary: "Get an API",
          description: "The ETag is the record's version; send it back as If-Match when updating.",
          security: scopes("inventory:read"),
          responses: {
            "200": {
              description: "The API.",
              headers: { ETag: { schema: { type: "string" } } },
              content: { "application/json": { schema: apiSummary } },
            },
            ...errors("401", "403", "404", "429"),
          },
        },
        put: {
          operationId: "updateApi",
          tags: ["Inventory"],
          summary: "Update an API",
          description:
            "Replaces the editable fields. Requires If-Match with the ETag from GET; a stale version is refused with 412.",
          security: scopes("inventory:write"),
          parameters: [{ name: "If-Match", in: "header", required: true, schema: { type: "string" } }, idempotencyKey],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/ApiInput" } } },
          },
          responses: {
            "200": {
              description: "Updated.",
              headers: { ETag: { schema: { type: "string" } } },
              content: {
                "application/json": {
                  schema: { type: "object", properties: { id: { type: "string" }, version: { type: "integer" } } },
                },
              },
            },
            ...errors("400", "401", "403", "404", "412", "413", "415", "422", "429"),
          },
        },
        delete: {
          operationId: "deleteApi",
          tags: ["Inventory"],
          summary: "Retire (soft-delete) an API",
          security: scopes("inventory:write"),
          parameters: [idempotencyKey],
          responses: {
            "204": { description: "Deleted; its history is kept." },
            ...errors("401", "403", "404", "422", "429"),
          },
        },
      },
      "/api/v1/apis/{id}/openapi": {
        parameters: [idParam],
        get: {
          operationId: "getApiDescriptionScan",
          tags: ["Posture scan"],
          summary: "The attached OpenAPI description's scan",
          description:
            "Every operation with its effective security, and the findings (JSON pointer, severity, rule) recomputed against the API's current record.",
          security: scopes("inventory:read"),
          responses: {
            "200": {
              description: "The scan.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/ScanReport" } } },
            },
            ...errors("401", "403", "404", "429"),
          },
        },
        put: {
          operationId: "putApiDescription",
          tags: ["Posture scan"],
          summary: "Attach or replace the OpenAPI description",
          description:
            "The body is the description itself (OpenAPI 2.0, 3.0 or 3.1; JSON or YAML; at most 10 MB). Only references inside the document are followed; external or circular references are refused. Anonymous write operations make ISM-2013 (or ISM-1818) not met; anonymous reads do the same for ISM-2014 (or ISM-1817).",
          security: scopes("inventory:write"),
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { type: "object" } },
              "application/yaml": { schema: { type: "string" } },
            },
          },
          responses: {
            "200": {
              description: "Stored and scanned.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/ScanReport" } } },
            },
            ...errors("400", "401", "403", "404", "413", "415", "422", "429"),
          },
        },
        delete: {
          operationId: "deleteApiDescription",
          tags: ["Posture scan"],
          summary: "Detach the OpenAPI description",
          security: scopes("inventory:write"),
          parameters: [idempotencyKey],
          responses: { "204": { description: "Detached." }, ...errors("401", "403", "404", "422", "429") },
        },
      },
      "/api/v1/apis/{id}/events": {
        parameters: [idParam],
        get: {
          operationId: "listApiAuthEvents",
          tags: ["Authentication events"],
          summary: "Who called the API and when",
          security: scopes("events:read"),
          parameters: [
            { name: "client", in: "query", required: false, schema: { type: "string" } },
            { name: "principal", in: "query", required: false, schema: { type: "string" } },
            { name: "outcome", in: "query", required: false, schema: { type: "string", enum: [...EVENT_OUTCOMES] } },
            {
              name: "from",
              in: "query",
              required: false,
              schema: { type: "string" },
              description: "Date or date-time (inclusive).",
            },
            {
              name: "to",
              in: "query",
              required: false,
              schema: { type: "string" },
              description: "Date or date-time (inclusive).",
            },
            { name: "cursor", in: "query", required: false, schema: { type: "string" } },
            {
              name: "limit",
              in: "query",
              required: false,
              schema: { type: "integer", minimum: 1, maximum: 500, default: 50 },
            },
          ],
          responses: {
            "200": {
              description: "A page of events, newest first.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      data: { type: "array", items: { $ref: "#/components/schemas/AuthEvent" } },
                      nextCursor: { type: ["string", "null"] },
                    },
                  },
                },
              },
            },
            ...errors("400", "401", "403", "404", "429"),
          },
        },
      },
      "/api/v1/events/auth": {
        post: {
          operationId: "ingestAuthEvents",
          tags: ["Authentication events"],
          summary: "Send authentication events",
          description:
            'A batch of up to 10,000 events from a gateway or service, as a JSON array, {"events": […]}, or NDJSON (application/x-ndjson). The batch is validated whole: if any event is invalid nothing is stored and `errors` lists each bad event by index (`events[3]`). Send an Idempotency-Key so a retried batch is stored once.',
          security: scopes("events:write"),
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { type: "array", maxItems: 10000, items: schema(ZAuthEvent) } },
              "application/x-ndjson": { schema: { type: "string" } },
            },
          },
          responses: {
            "201": {
              description: "Stored.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      accepted: { type: "integer" },
                      batchId: { type: "string" },
                      alerts: { type: "integer" },
                    },
                  },
                },
              },
            },
            ...errors("400", "401", "403", "413", "415", "422", "429"),
          },
        },
      },
      "/api/v1/apis/{id}/clients": {
        parameters: [idParam],
        get: {
          operationId: "listApiClients",
          tags: ["Clients and grants"],
          summary: "The API's clients and grants, with review flags",
          security: scopes("inventory:read"),
          responses: {
            "200": {
              description: "Clients, the ones needing a look first.",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { data: { type: "array", items: { type: "object" } } } },
                },
              },
            },
            ...errors("401", "403", "404", "429"),
          },
        },
        post: {
          operationId: "createApiClient",
          tags: ["Clients and grants"],
          summary: "Record a client and its grant",
          security: scopes("clients:write"),
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/ClientInput" } } },
          },
          responses: {
            "201": {
              description: "Recorded.",
              headers: { Location: { schema: { type: "string" } } },
              content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } },
            },
            ...errors("400", "401", "403", "404", "409", "413", "415", "422", "429"),
          },
        },
      },
      "/api/v1/apis/{id}/clients/{clientId}": {
        parameters: [
          idParam,
          { name: "clientId", in: "path", required: true, schema: { type: "string", maxLength: 64 } },
        ],
        get: {
          operationId: "getApiClient",
          tags: ["Clients and grants"],
          summary: "One client and its grant",
          security: scopes("inventory:read"),
          responses: {
            "200": {
              description: "The client; the ETag is its version.",
              headers: { ETag: { schema: { type: "string" } } },
              content: { "application/json": { schema: { type: "object" } } },
            },
            ...errors("401", "403", "404", "429"),
          },
        },
        put: {
          operationId: "updateApiClient",
          tags: ["Clients and grants"],
          summary: "Change a client's grant",
          security: scopes("clients:write"),
          parameters: [{ name: "If-Match", in: "header", required: true, schema: { type: "string" } }, idempotencyKey],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/ClientInput" } } },
          },
          responses: {
            "200": {
              description: "Changed.",
              content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } },
            },
            ...errors("400", "401", "403", "404", "409", "412", "413", "415", "422", "429"),
          },
        },
        delete: {
          operationId: "deleteApiClient",
          tags: ["Clients and grants"],
          summary: "Remove a client (revoke its grant)",
          security: scopes("clients:write"),
          parameters: [idempotencyKey],
          responses: { "204": { description: "Removed." }, ...errors("401", "403", "404", "422", "429") },
        },
      },
      "/api/v1/incidents": {
        get: {
          operationId: "listIncidents",
          tags: ["Incidents"],
          summary: "Incidents, newest first",
          security: scopes("incidents:read"),
          responses: {
            "200": {
              description: "Incidents.",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { data: { type: "array", items: { type: "object" } } } },
                },
              },
            },
            ...errors("401", "403", "429"),
          },
        },
        post: {
          operationId: "reportIncident",
          tags: ["Incidents"],
          summary: "Report an incident",
          security: scopes("incidents:write"),
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/IncidentInput" } } },
          },
          responses: {
            "201": {
              description: "Reported.",
              headers: { Location: { schema: { type: "string" } } },
              content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } },
            },
            ...errors("400", "401", "403", "413", "415", "422", "429"),
          },
        },
      },
      "/api/v1/incidents/{id}": {
        parameters: [idParam],
        get: {
          operationId: "getIncident",
          tags: ["Incidents"],
          summary: "An incident with its timeline and actions",
          security: scopes("incidents:read"),
          responses: {
            "200": {
              description: "The incident; the ETag is its version.",
              headers: { ETag: { schema: { type: "string" } } },
              content: { "application/json": { schema: { type: "object" } } },
            },
            ...errors("401", "403", "404", "429"),
          },
        },
        put: {
          operationId: "updateIncident",
          tags: ["Incidents"],
          summary: "Update an incident's record",
          description:
            "Its handler (or an admin) replaces the record's fields; closed incidents take only addenda. Requires If-Match.",
          security: scopes("incidents:write"),
          parameters: [{ name: "If-Match", in: "header", required: true, schema: { type: "string" } }, idempotencyKey],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/IncidentInput" } } },
          },
          responses: {
            "200": {
              description: "Updated.",
              content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } },
            },
            ...errors("400", "401", "403", "404", "412", "413", "415", "422", "429"),
          },
        },
      },
      "/api/v1/incidents/{id}/advance": {
        parameters: [idParam],
        post: {
          operationId: "advanceIncident",
          tags: ["Incidents"],
          summary: "Move the incident to its next status",
          description:
            "reported → triaged → contained → resolved → closed; closing needs the root cause and lessons learned. Requires If-Match.",
          security: scopes("incidents:write"),
          parameters: [{ name: "If-Match", in: "header", required: true, schema: { type: "string" } }, idempotencyKey],
          responses: {
            "200": {
              description: "The new status.",
              content: {
                "application/json": { schema: { type: "object", properties: { status: { type: "string" } } } },
              },
            },
            ...errors("400", "401", "403", "404", "412", "422", "429"),
          },
        },
      },
      "/api/v1/incidents/{id}/entries": {
        parameters: [idParam],
        post: {
          operationId: "addIncidentEntry",
          tags: ["Incidents"],
          summary: "Add a timeline entry or notification (an addendum once closed)",
          security: scopes("incidents:write"),
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    kind: { type: "string", enum: ["note", "notification"] },
                    at: { type: "string" },
                    recipient: { type: "string" },
                    text: { type: "string" },
                  },
                },
              },
            },
          },
          responses: {
            "201": { description: "Added." },
            ...errors("400", "401", "403", "404", "413", "415", "422", "429"),
          },
        },
      },
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
              headers: { Location: { schema: { type: "string" } } },
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
              headers: { "X-Key-Fingerprint-SHA256": { schema: { type: "string" } } },
              content: { "application/x-pem-file": { schema: { type: "string" } } },
            },
            ...errors("401", "403", "429"),
          },
        },
      },
      "/api/v1/reviews/campaigns": {
        get: {
          operationId: "listReviewCampaigns",
          tags: ["Access reviews"],
          summary: "Quarterly review campaigns and their progress",
          security: scopes("reviews:read"),
          responses: {
            "200": {
              description: "Campaigns.",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { data: { type: "array", items: { type: "object" } } } },
                },
              },
            },
            ...errors("401", "403", "429"),
          },
        },
      },
      "/api/v1/reviews/campaigns/{id}": {
        parameters: [idParam],
        get: {
          operationId: "getReviewCampaign",
          tags: ["Access reviews"],
          summary: "A campaign's reviews and their state",
          security: scopes("reviews:read"),
          responses: {
            "200": { description: "The campaign.", content: { "application/json": { schema: { type: "object" } } } },
            ...errors("401", "403", "404", "429"),
          },
        },
      },
      "/api/v1/reviews/{id}": {
        parameters: [idParam],
        get: {
          operationId: "getReview",
          tags: ["Access reviews"],
          summary: "One review: frozen grants, decisions, checklist, sign-off, actions, addenda",
          security: scopes("reviews:read"),
          responses: {
            "200": { description: "The review.", content: { "application/json": { schema: { type: "object" } } } },
            ...errors("401", "403", "404", "429"),
          },
        },
      },
      "/api/v1/backstage/catalog": {
        get: {
          operationId: "exportBackstageCatalog",
          tags: ["Backstage"],
          summary: "The inventory as Backstage catalog entities",
          description:
            "One `kind: API` entity per YAML document: `spec.owner` (the team as a group), `spec.lifecycle`, `spec.type`, `spec.definition` (the attached OpenAPI description), and ApiLedger's own facts as `apiledger.io/*` annotations.",
          security: scopes("inventory:read"),
          responses: {
            "200": {
              description: "Multi-document YAML.",
              content: { "application/yaml": { schema: { type: "string" } } },
            },
            ...errors("401", "403", "429"),
          },
        },
      },
      "/api/v1/backstage/import": {
        post: {
          operationId: "importBackstageCatalog",
          tags: ["Backstage"],
          summary: "Import Backstage API entities",
          description:
            "Creates or updates inventory entries from `kind: API` entities (matched by the `apiledger.io/id` annotation, else by title). With `?dryRun=true` nothing is written and the response lists, per entity, the action and the changed fields. If any entity is invalid nothing is written.",
          security: scopes("inventory:write"),
          parameters: [{ name: "dryRun", in: "query", required: false, schema: { type: "boolean" } }, idempotencyKey],
          requestBody: { required: true, content: { "application/yaml": { schema: { type: "string" } } } },
          responses: {
            "200": {
              description: "What was (or would be) done.",
              content: { "application/json": { schema: { type: "object" } } },
            },
            ...errors("400", "401", "403", "413", "415", "422", "429"),
          },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApiDescription",
          tags: ["Meta"],
          summary: "This description",
          security: [],
          responses: {
            "200": {
              description: "The OpenAPI 3.1 document.",
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "apl_ token",
          description: `A token from the dashboard (API tokens page). Scopes: ${TOKEN_SCOPES.map((s) => `\`${s}\` (${SCOPE_LABELS[s]})`).join("; ")}.`,
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "The dashboard's own session (same-origin requests only).",
        },
      },
      schemas: {
        ApiInput: schema(ZApiInput),
        ClientInput: schema(ZClientInput),
        IncidentInput: schema(ZIncidentInput),
        EvidenceScope: {
          ...schema(ZScopeInput),
          description:
            "period: a quarter (2026-Q4, in the installation's quarter convention), a year (2026) or dates (2026-10-01..2026-12-31). controls: ISM control ids (ism-2013…); none means all six. teamIds / apiIds: limit to those teams' or APIs' records.",
        },
        EvidenceExport: {
          type: "object",
          properties: {
            id: { type: "string" },
            requestedBy: { type: "string" },
            period: { type: "string" },
            status: { type: "string", enum: ["RUNNING", "DONE", "FAILED"] },
            progress: {
              type: ["object", "null"],
              properties: { step: { type: "string" }, percent: { type: "integer" } },
            },
            error: { type: ["string", "null"] },
            manifestSha256: { type: ["string", "null"] },
            sha256: { type: ["string", "null"] },
            bytes: { type: "integer" },
            files: { type: "integer" },
            requestedAt: { type: "string", format: "date-time" },
            finishedAt: { type: ["string", "null"], format: "date-time" },
          },
        },
        AuthEvent: {
          type: "object",
          properties: {
            id: { type: "string" },
            time: { type: "string", format: "date-time" },
            clientId: { type: "string" },
            principal: { type: "string" },
            outcome: { type: "string", enum: [...EVENT_OUTCOMES] },
            sourceIp: { type: "string" },
            method: { type: "string" },
            route: { type: "string" },
          },
        },
        ScanReport: {
          type: "object",
          properties: {
            sha256: { type: "string" },
            dialect: { type: "string", enum: ["swagger-2.0", "openapi-3.0", "openapi-3.1"] },
            counts: { type: "object", additionalProperties: { type: "integer" } },
            anonWrites: { type: "integer" },
            anonReads: { type: "integer" },
            findings: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  rule: { type: "string" },
                  severity: { type: "string", enum: ["info", "low", "medium", "high", "critical"] },
                  pointer: { type: "string" },
                  message: { type: "string" },
                },
              },
            },
            operations: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  method: { type: "string" },
                  path: { type: "string" },
                  pointer: { type: "string" },
                  security: { type: "string", enum: ["required", "optional", "none"] },
                  schemes: { type: "array", items: { type: "string" } },
                },
              },
            },
          },
        },
        Problem: {
          type: "object",
          description: "RFC 9457 problem details.",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: {
              type: "string",
              enum: Object.keys(PROBLEM_CODES).map((c) => `https://apiledger.invalid/problems/${c}`),
              description: Object.entries(PROBLEM_CODES)
                .map(([c, d]) => `${c}: ${d}`)
                .join(" "),
            },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            errors: {
              type: "object",
              additionalProperties: { type: "array", items: { type: "string" } },
              description: "Field or parameter → messages.",
            },
          },
        },
      },
      responses: {
        Problem: {
          description: "An error (RFC 9457).",
          content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
        },
      },
    },
  };
}
