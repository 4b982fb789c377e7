import { closedObject } from "@/lib/records/json-schema";
import { writeAnswer, errors, scopes, idempotencyKey, idParam, location, versionEtag } from "@/lib/rest/openapi/shared";

/** The OpenAPI paths of the Clients and grants tag. */
export const clientsPaths = {
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
              schema: closedObject({ data: { type: "array", items: { $ref: "#/components/schemas/Client" } } }),
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
          headers: { Location: location },
          content: writeAnswer(),
        },
        ...errors("400", "401", "403", "404", "409", "413", "415", "422", "429"),
      },
    },
  },
  "/api/v1/apis/{id}/clients/{clientId}": {
    parameters: [idParam, { name: "clientId", in: "path", required: true, schema: { type: "string", maxLength: 64 } }],
    get: {
      operationId: "getApiClient",
      tags: ["Clients and grants"],
      summary: "One client and its grant",
      security: scopes("inventory:read"),
      responses: {
        "200": {
          description: "The client; the ETag is its version.",
          headers: { ETag: versionEtag },
          content: { "application/json": { schema: { $ref: "#/components/schemas/Client" } } },
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
          content: writeAnswer(),
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
};
