import { errors, scopes, idempotencyKey, idParam } from "@/lib/rest/openapi/shared";

/** The OpenAPI paths of the Incidents tag. */
export const incidentsPaths = {
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
};
