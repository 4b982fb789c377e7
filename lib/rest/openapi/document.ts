import { ZApiInput } from "@/lib/apis/schemas";
import { ZClientInput } from "@/lib/clients/schemas";
import { clientViewSchema } from "@/lib/clients/record";
import { ZIncidentInput } from "@/lib/incidents/schemas";
import { TOKEN_SCOPES } from "@/lib/authz/policy";
import { SCOPE_LABELS } from "@/lib/tokens/schemas";
import { ZScopeInput } from "@/lib/evidence/scope";
import { schema, errors, sentHeader, PROBLEM_CODES } from "@/lib/rest/openapi/shared";
import { closedObject } from "@/lib/records/json-schema";
import { inventoryPaths } from "@/lib/rest/openapi/inventory";
import { postureSchemas } from "@/lib/rest/openapi/posture";
import { eventsPaths, eventsSchemas } from "@/lib/rest/openapi/events";
import { clientsPaths } from "@/lib/rest/openapi/clients";
import { incidentSchemas, incidentsPaths } from "@/lib/rest/openapi/incidents";
import { evidencePaths, evidenceSchemas } from "@/lib/rest/openapi/evidence";
import { reviewsPaths, reviewsSchemas } from "@/lib/rest/openapi/reviews";
import { backstagePaths } from "@/lib/rest/openapi/backstage";
import { metaPaths } from "@/lib/rest/openapi/meta";
import { otlpPaths } from "@/lib/rest/openapi/otlp";

// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json and rendered at /api-docs.
// Request bodies come from the same zod schemas the server validates with, so the description cannot
// drift from what is enforced; a test checks every route file is described and every described route
// exists, and @redocly/openapi-core lints it.
// One file per tag (lib/rest/openapi/<tag>.ts) holds its paths; this one puts them together.
const retryAfter = sentHeader({ type: "integer", minimum: 1 }, "Seconds to wait before trying again.");
const problemContent = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };

/**
 * What every operation shares: any of them answers 503 with Retry-After while the database is
 * unreachable, and any write 507 when the disk is full; writes that take an Idempotency-Key refuse a
 * malformed one (400) and answer a retry with the first response, saying so in Idempotent-Replayed.
 */
function withCommonResponses(paths: Record<string, Record<string, unknown>>) {
  for (const item of Object.values(paths))
    for (const op of Object.values(item) as {
      parameters?: { name?: string }[];
      responses?: Record<string, unknown>;
    }[]) {
      if (!op?.responses) continue;
      Object.assign(op.responses, { ...errors("503"), ...op.responses });
      if (!op.parameters?.some((p) => p.name === "Idempotency-Key")) continue;
      Object.assign(op.responses, { ...errors("400", "507"), ...op.responses });
      for (const [status, response] of Object.entries(op.responses)) {
        if (!status.startsWith("2")) continue;
        const r = response as { headers?: Record<string, unknown> };
        r.headers = {
          ...r.headers,
          "Idempotent-Replayed": {
            description: "true when this is the stored response to an earlier request with the same Idempotency-Key.",
            schema: { type: "string", enum: ["true"] },
          },
        };
      }
    }
  return paths;
}

export function openApiDocument(): Record<string, unknown> {
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
    paths: withCommonResponses(
      structuredClone({
        ...inventoryPaths,
        ...eventsPaths,
        ...otlpPaths,
        ...clientsPaths,
        ...incidentsPaths,
        ...evidencePaths,
        ...reviewsPaths,
        ...backstagePaths,
        ...metaPaths,
      }),
    ),
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
        Client: clientViewSchema(),
        ...incidentSchemas(),
        IncidentInput: schema(ZIncidentInput),
        EvidenceScope: {
          ...schema(ZScopeInput),
          description:
            "period: a quarter (2026-Q4, in the installation's quarter convention), a year (2026) or dates (2026-10-01..2026-12-31). controls: ISM control ids (ism-2013…); none means all six. teamIds / apiIds: limit to those teams' or APIs' records.",
        },
        ...evidenceSchemas(),
        ...eventsSchemas(),
        ...postureSchemas(),
        ...reviewsSchemas(),
        Problem: closedObject(
          {
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
              description: "Field or parameter → messages (validation problems only).",
            },
          },
          ["type", "title", "status", "detail"],
          "RFC 9457 problem details.",
        ),
      },
      responses: {
        Problem: { description: "An error (RFC 9457).", content: problemContent },
        Unauthenticated: {
          description: "No credentials, or a token that was refused (RFC 9457), with the challenge.",
          headers: {
            "WWW-Authenticate": sentHeader({ type: "string", pattern: "^Bearer( |$)" }, 'Bearer realm="apiledger"'),
          },
          content: problemContent,
        },
        RateLimited: {
          description: "Too many requests for this token or address (RFC 9457).",
          headers: { "Retry-After": retryAfter },
          content: problemContent,
        },
        Unavailable: {
          description: "The database is unreachable or busy for now; nothing was changed (RFC 9457).",
          headers: { "Retry-After": retryAfter },
          content: problemContent,
        },
        StorageFull: {
          description: "The server's disk is full; nothing was changed (RFC 9457).",
          content: problemContent,
        },
      },
    },
  };
}
