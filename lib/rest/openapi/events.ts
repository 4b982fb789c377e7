import { ZAuthEvent } from "@/lib/events/schemas";
import { OUTCOMES as EVENT_OUTCOMES } from "@/lib/events/outcomes";
import { ZAuthEventView, ZIngestResult } from "@/lib/events/event-view";
import { ZTrafficResult } from "@/lib/traffic/schemas";
import { PROFILES } from "@/lib/traffic/schemas";
import { closedObject } from "@/lib/records/json-schema";
import { view, schema, errors, scopes, idempotencyKey, idParam, sentHeader } from "@/lib/rest/openapi/shared";

/** The schemas of the Authentication events tag's responses. */
export const eventsSchemas = () => ({ AuthEvent: view(ZAuthEventView) });

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
              schema: closedObject({
                data: { type: "array", items: { $ref: "#/components/schemas/AuthEvent" } },
                nextCursor: { type: ["string", "null"], description: "Send it back as cursor; null on the last page" },
              }),
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
              schema: view(ZIngestResult),
            },
          },
        },
        ...errors("400", "401", "403", "413", "415", "422", "429"),
      },
    },
  },
  "/api/v1/traffic": {
    post: {
      operationId: "ingestTraffic",
      tags: ["Authentication events"],
      summary: "Send a gateway's own access-log records",
      description: `Records as a registered traffic source's gateway or shipper writes them (profiles: ${PROFILES.join(", ")}), up to 10,000 per request: JSON (a record, an array, an OTLP/JSON request, a Kinesis Data Firehose envelope) or NDJSON, gzip-compressed or not, sent with the source's token. A lenient source stores what it can read and quarantines the rest (the response counts both); a strict source refuses the whole batch when any record is unreadable, listing each by index (\`records[3]\`).`,
      security: scopes("events:write"),
      parameters: [idempotencyKey],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: ["array", "object"],
              minItems: 1,
              maxItems: 10000,
              description:
                "The source's records: one record, an array of records, an OTLP/JSON export request or a Kinesis Data Firehose envelope.",
            },
          },
          "application/x-ndjson": { schema: { type: "string" } },
        },
      },
      responses: {
        "200": { description: "Received.", content: { "application/json": { schema: view(ZTrafficResult) } } },
        ...errors("400", "401", "403", "413", "415", "422", "429"),
      },
    },
  },
  "/api/v1/traffic/firehose": {
    post: {
      operationId: "deliverFirehoseRecords",
      tags: ["Authentication events"],
      summary: "Amazon Data Firehose HTTP endpoint delivery",
      description:
        "A Firehose delivery stream's HTTP endpoint destination, carrying API Gateway access logs: the traffic source's token (a source with the AWS API Gateway format) is the stream's access key, sent in X-Amz-Firehose-Access-Key (or as a bearer token). The body is Firehose's envelope (base64 records, each one or more JSON lines), gzip or not. The answer is what Firehose expects: 200 with the request's id and a timestamp, and on a refusal the same with errorMessage; Firehose retries a refused delivery.",
      security: scopes("events:write"),
      parameters: [
        {
          name: "X-Amz-Firehose-Request-Id",
          in: "header",
          required: false,
          schema: { type: "string", maxLength: 200 },
        },
        { name: "X-Amz-Firehose-Access-Key", in: "header", required: false, schema: { type: "string" } },
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: closedObject(
              {
                requestId: { type: "string" },
                timestamp: { type: "integer" },
                records: {
                  type: "array",
                  minItems: 1,
                  items: closedObject({ data: { type: "string", contentEncoding: "base64" } }),
                },
              },
              ["records"],
            ),
          },
        },
      },
      responses: Object.fromEntries(
        ["200", "400", "401", "403", "408", "413", "415", "429", "503"].map((status) => [
          status,
          {
            description:
              status === "200"
                ? "Delivered: every record stored, quarantined (a lenient source) or recognised as sent before."
                : "Refused, with why; Firehose retries.",
            ...(status === "401"
              ? { headers: { "WWW-Authenticate": sentHeader({ type: "string", pattern: "^Bearer( |$)" }) } }
              : ["429", "503"].includes(status)
                ? { headers: { "Retry-After": sentHeader({ type: "integer", minimum: 1 }) } }
                : {}),
            content: {
              "application/json": {
                schema: closedObject({
                  requestId: { type: "string" },
                  timestamp: { type: "integer", description: "Milliseconds since 1970" },
                  ...(status === "200" ? {} : { errorMessage: { type: "string" } }),
                }),
              },
            },
          },
        ]),
      ),
    },
  },
};
