import { ZAuthEvent } from "@/lib/events/schemas";
import { OUTCOMES as EVENT_OUTCOMES } from "@/lib/events/outcomes";
import { schema, errors, scopes, idempotencyKey, idParam } from "@/lib/rest/openapi/shared";

/** The OpenAPI paths of the Authentication events tag. */
export const eventsPaths = {
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
};
