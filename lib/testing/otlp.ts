// OpenTelemetry records for tests: emitted through the official SDK (for its exporters, or encoded by
// its own protobuf serializer), and OTLP/JSON export requests as the SDKs write them (proto3 JSON:
// lowerCamelCase names, int64 as strings, span kinds as numbers) for requests sent by hand.
import { SpanKind } from "@opentelemetry/api";
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from "@opentelemetry/sdk-logs";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";

/** A call: method "" leaves the method out (a record that cannot be read). */
export type Call = { method?: string; path?: string; route?: string; status?: number; client?: string; user?: string };

const attribute = (key: string, value: string | number) => ({
  key,
  value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value },
});

function attributesOf(call: Call) {
  return [
    ...(call.method === "" ? [] : [attribute("http.request.method", call.method ?? "GET")]),
    attribute("url.path", call.path ?? "/v1/entries"),
    attribute("server.address", "ledger.internal.example"),
    attribute("http.response.status_code", call.status ?? 200),
    attribute("apiledger.client.id", call.client ?? "otlp-client"),
    ...(call.user ? [attribute("user.id", call.user)] : []),
  ];
}

/** An ExportLogsServiceRequest or ExportTraceServiceRequest (server spans) of the calls. */
export function otlpJson(signal: "logs" | "traces", calls: Call[]) {
  const nanos = String(BigInt(Date.now() - 5000) * 1_000_000n);
  const resource = { attributes: [attribute("service.name", "edge-gateway")] };
  if (signal === "logs")
    return {
      resourceLogs: [
        {
          resource,
          scopeLogs: [
            {
              scope: { name: "access-log" },
              logRecords: calls.map((c) => ({ timeUnixNano: nanos, attributes: attributesOf(c) })),
            },
          ],
        },
      ],
    };
  return {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            scope: { name: "http" },
            spans: calls.map((c, i) => ({
              traceId: "5b8efff798038103d269b633813fc60c",
              spanId: (i + 1).toString(16).padStart(16, "0"),
              name: `${c.method ?? "GET"} ${c.path ?? "/v1/entries"}`,
              kind: 2,
              startTimeUnixNano: nanos,
              endTimeUnixNano: nanos,
              attributes: attributesOf(c),
            })),
          },
        ],
      },
    ],
  };
}

/** The calls as access-log records emitted through the OpenTelemetry SDK (what its exporters send). */
export function sdkLogRecords(calls: Call[]): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "edge-gateway" }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger("access-log");
  for (const call of calls)
    logger.emit({
      timestamp: new Date(),
      body: `${call.method ?? "GET"} ${call.path ?? "/v1/entries"} ${call.status ?? 200}`,
      attributes: sdkAttributes(call),
    });
  return memory.getFinishedLogRecords();
}

/** The calls as spans ended through the OpenTelemetry SDK: a server span each, and its client span if asked. */
export function sdkSpans(calls: Call[], kinds: SpanKind[] = [SpanKind.SERVER]): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "ledger-service" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer("http");
  for (const call of calls)
    for (const kind of kinds)
      tracer
        .startSpan(`${call.method ?? "GET"} ${call.route ?? call.path ?? "/v1/entries"}`, {
          kind,
          attributes: { ...sdkAttributes(call), ...(call.route ? { "http.route": call.route } : {}) },
        })
        .end();
  return memory.getFinishedSpans();
}

/** An OTLP/protobuf export request of the calls, as the SDK's own serializer writes it. */
export function otlpProtobuf(signal: "logs" | "traces", calls: Call[]): Uint8Array<ArrayBuffer> {
  const bytes =
    signal === "logs"
      ? ProtobufLogsSerializer.serializeRequest(sdkLogRecords(calls))
      : ProtobufTraceSerializer.serializeRequest(sdkSpans(calls));
  return new Uint8Array(bytes!);
}

function sdkAttributes(call: Call): Record<string, string | number> {
  return {
    ...(call.method === "" ? {} : { "http.request.method": call.method ?? "GET" }),
    "url.path": call.path ?? "/v1/entries",
    "server.address": "ledger.internal.example",
    "http.response.status_code": call.status ?? 200,
    "apiledger.client.id": call.client ?? "otlp-client",
    "client.address": "10.1.2.3",
    ...(call.user ? { "user.id": call.user } : {}),
  };
}
