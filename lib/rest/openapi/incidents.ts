import { INCIDENT_STATUSES, ZAdvance, ZEntry } from "@/lib/incidents/schemas";
import { errors, schema, scopes, idempotencyKey, idParam, location, versionEtag } from "@/lib/rest/openapi/shared";
import { incidentListSchema, incidentRecordSchema } from "@/lib/incidents/record";

const timelineEntry = {
  type: "object",
  required: ["id", "at", "kind", "recipient", "text", "author"],
  properties: {
    id: { type: "string" },
    at: { type: "string", format: "date-time" },
    kind: { type: "string", description: "note, notification, status or addendum" },
    recipient: { type: "string", description: "Who was notified (notifications)" },
    text: { type: "string" },
    author: { type: "string", description: "The author's name, or system" },
  },
};
const followUp = {
  type: "object",
  required: ["id", "version", "description", "ownerId", "owner", "dueOn", "status", "completedAt", "completedNote"],
  properties: {
    id: { type: "string" },
    version: { type: "integer" },
    description: { type: "string" },
    ownerId: { type: ["string", "null"] },
    owner: { type: ["string", "null"] },
    dueOn: { type: "string", description: "YYYY-MM-DD, or empty" },
    status: { type: "string", enum: ["OPEN", "DONE", "CANCELLED"] },
    completedAt: { type: ["string", "null"], format: "date-time" },
    completedNote: { type: "string" },
  },
};

/** The schemas of the Incidents tag's responses: the record's (lib/incidents/record.ts) with the timeline. */
export const incidentSchemas = () => {
  const record = incidentRecordSchema();
  return {
    IncidentSummary: incidentListSchema(),
    Incident: {
      ...record,
      required: [...record.required, "entries", "followUps"],
      properties: {
        ...record.properties,
        entries: { type: "array", items: timelineEntry },
        followUps: { type: "array", items: followUp },
      },
    },
  };
};

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
              schema: {
                type: "object",
                required: ["data"],
                properties: { data: { type: "array", items: { $ref: "#/components/schemas/IncidentSummary" } } },
              },
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
          headers: { Location: location },
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
          headers: { ETag: versionEtag },
          content: { "application/json": { schema: { $ref: "#/components/schemas/Incident" } } },
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
        "reported → triaged → contained → resolved → closed; closing needs the root cause and lessons learned. The step is recorded at `at` (not in the future, not before the incident's latest recorded time), or now when `at` or the body is absent. Requires If-Match.",
      security: scopes("incidents:write"),
      parameters: [{ name: "If-Match", in: "header", required: true, schema: { type: "string" } }, idempotencyKey],
      requestBody: {
        required: false,
        // From the schema the server validates with.
        content: { "application/json": { schema: schema(ZAdvance) } },
      },
      responses: {
        "200": {
          description: "The new status.",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["status"],
                properties: { status: { type: "string", enum: [...INCIDENT_STATUSES] } },
              },
            },
          },
        },
        ...errors("400", "401", "403", "404", "412", "413", "415", "422", "429"),
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
            // From the schema the server validates with: what it requires is what this says is required.
            schema: schema(ZEntry),
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
