import { INCIDENT_STATUSES, ZAdvance, ZEntry } from "@/lib/incidents/schemas";
import {
  writeAnswer,
  errors,
  schema,
  scopes,
  idempotencyKey,
  idParam,
  location,
  versionEtag,
} from "@/lib/rest/openapi/shared";
import { incidentListSchema } from "@/lib/incidents/record";
import { incidentDetailSchema } from "@/lib/incidents/incident-view";
import { closedObject } from "@/lib/records/json-schema";

/** The schemas of the Incidents tag's responses: the record's (lib/incidents/record.ts) and one incident's view. */
export const incidentSchemas = () => ({
  IncidentSummary: incidentListSchema(),
  Incident: incidentDetailSchema(),
});

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
              schema: closedObject({
                data: { type: "array", items: { $ref: "#/components/schemas/IncidentSummary" } },
              }),
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
          content: writeAnswer(),
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
      summary: "An incident with its timeline and follow-ups",
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
          content: writeAnswer(),
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
              schema: closedObject({ status: { type: "string", enum: [...INCIDENT_STATUSES] } }),
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
