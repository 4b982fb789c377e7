import { closedObject } from "@/lib/records/json-schema";
import { scopes, sentHeader } from "@/lib/rest/openapi/shared";

// OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp): the request and answer bodies are
// OpenTelemetry's, not ApiLedger's — Export…ServiceRequest/Response in protobuf or JSON, and a refusal is
// a google.rpc.Status in the request's encoding, never an RFC 9457 problem.

const PROTOBUF = "application/x-protobuf";
const binary = (what: string) => ({ schema: { type: "string", contentMediaType: PROTOBUF, description: what } });
const status = closedObject(
  {
    code: {
      type: "integer",
      description: "google.rpc.Code (3 invalid argument, 7 permission denied, 14 unavailable…)",
    },
    message: { type: "string" },
  },
  ["code", "message"],
  "google.rpc.Status",
);
const refusal = (description: string, headers: Record<string, unknown> = {}) => ({
  description,
  ...(Object.keys(headers).length ? { headers } : {}),
  content: { "application/json": { schema: status }, [PROTOBUF]: binary("google.rpc.Status") },
});
const retryAfter = {
  "Retry-After": sentHeader({ type: "integer", minimum: 1 }, "Seconds to wait before sending again."),
};
const attributesOf = { type: "array", items: { type: "object" } };

function exportOperation(signal: "logs" | "traces") {
  const [resources, scopesKey, records, rejected, noun] =
    signal === "logs"
      ? (["resourceLogs", "scopeLogs", "logRecords", "rejectedLogRecords", "log records"] as const)
      : (["resourceSpans", "scopeSpans", "spans", "rejectedSpans", "spans"] as const);
  const request = closedObject(
    {
      [resources]: {
        type: "array",
        items: {
          type: "object",
          properties: {
            resource: { type: "object", properties: { attributes: attributesOf } },
            [scopesKey]: {
              type: "array",
              items: { type: "object", properties: { [records]: { type: "array", items: { type: "object" } } } },
            },
          },
        },
      },
    },
    // proto3 JSON leaves an empty list out: {} is an export of nothing (answered 200).
    [],
    `Export${signal === "logs" ? "Logs" : "Trace"}ServiceRequest (OTLP/JSON)`,
  );
  return {
    post: {
      operationId: signal === "logs" ? "exportOtlpLogs" : "exportOtlpTraces",
      tags: ["Authentication events"],
      summary: `OTLP/HTTP ${signal}`,
      description: `OpenTelemetry ${noun} from a Collector's otlphttp exporter or an SDK (endpoint https://HOST/api/v1/otlp, which the exporter completes with /v1/${signal}), sent with a traffic source's token whose profile is OpenTelemetry; up to 10,000 ${noun} per request, protobuf or JSON, gzip-compressed or not. ${signal === "traces" ? "Server spans become authentication events; client spans are the same calls seen by the caller and are skipped. " : ""}A lenient source stores what it can read and keeps the rest in its quarantine: the answer is then a partial success with the count rejected (sending them again would not help). A strict source refuses the whole request (400). A busy server answers 503 and a limited token 429, both with Retry-After.`,
      security: scopes("events:write"),
      requestBody: {
        required: true,
        content: {
          [PROTOBUF]: binary(`Export${signal === "logs" ? "Logs" : "Trace"}ServiceRequest`),
          "application/json": { schema: request },
        },
      },
      responses: {
        "200": {
          description: `Taken: every ${noun.replace(/s$/, "")} stored, recognised as sent before, or — partial success — some rejected.`,
          content: {
            "application/json": {
              schema: closedObject(
                {
                  partialSuccess: closedObject(
                    {
                      [rejected]: { type: "string", pattern: "^[0-9]+$", description: `The ${noun} rejected (int64)` },
                      errorMessage: { type: "string" },
                    },
                    [rejected, "errorMessage"],
                  ),
                },
                [],
              ),
            },
            [PROTOBUF]: binary(`Export${signal === "logs" ? "Logs" : "Trace"}ServiceResponse`),
          },
        },
        "400": refusal("The body is not an export request, or a strict source's batch holds a record it cannot read."),
        "401": refusal("No token, or a token that was refused.", {
          "WWW-Authenticate": sentHeader({ type: "string", pattern: "^Bearer( |$)" }, 'Bearer realm="apiledger"'),
        }),
        "403": refusal("Not a traffic source's token, or a source registered for another format."),
        "408": refusal("The body did not arrive within the server's deadline (60 seconds unless configured)."),
        "413": refusal("The body (inflated) is over 32 MB."),
        "415": refusal("Not application/x-protobuf or application/json."),
        "429": refusal("Too many requests for this token or address.", retryAfter),
        "503": refusal(
          "Busy storing other batches, or the database is unreachable: send again after Retry-After.",
          retryAfter,
        ),
      },
    },
  };
}

/** The OpenAPI paths of OTLP/HTTP. */
export const otlpPaths = {
  "/api/v1/otlp/v1/logs": exportOperation("logs"),
  "/api/v1/otlp/v1/traces": exportOperation("traces"),
};
