import { Writer } from "protobufjs/light";
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from "@opentelemetry/otlp-transformer";
import { describe, expect, it } from "vitest";
import { otlpProtobufRecords } from "@/lib/traffic/otlp-protobuf";
import { otlpRecords } from "@/lib/traffic/otlp-records";
import { readRecord } from "@/lib/traffic/profiles";
import { otlpProtobuf, sdkLogRecords, sdkSpans, type Call } from "@/lib/testing/otlp";

// OTLP/protobuf as the OpenTelemetry SDK's own serializer writes it reads exactly as the same records in
// OTLP/JSON (the SDK's JSON serializer); and bodies an attacker writes by hand — truncated, a field
// repeated millions of times, maps nested thousands deep, more records than a batch holds — are refused
// with a reason or skipped, never decoded into millions of objects or a stack overflow.

const LIMITS = { maxRecords: 10_000, maxElements: 2_000_000 };
const NOW = new Date(Date.now() + 1000);
const calls: Call[] = [
  { status: 200, client: "gl", path: "/v1/ledger" },
  { status: 401, client: "gl", method: "POST", user: "alice" },
  { status: 403, route: "/v1/accounts/{id}", path: "/v1/accounts/7", client: "reporting" },
];
const readings = (records: unknown[]) => records.map((r) => readRecord("otlp", r, NOW));

/** A length-delimited field holding `inner`. */
const message = (field: number, inner: Uint8Array) =>
  Writer.create()
    .uint32((field << 3) | 2)
    .bytes(inner)
    .finish();
/** ExportLogsServiceRequest → ResourceLogs → ScopeLogs → the log records given (their encoded bodies). */
const logsRequest = (...records: Uint8Array[]) =>
  message(1, message(2, Buffer.concat(records.map((r) => message(2, r)))));

/** A KeyValue with a string value, as field `field` of its message (1 in a Resource, 6 in a LogRecord). */
const stringKeyValue = (field: number, key: string, value: string) =>
  message(
    field,
    Buffer.concat([
      Writer.create()
        .uint32((1 << 3) | 2)
        .string(key)
        .finish(),
      message(
        2,
        Writer.create()
          .uint32((1 << 3) | 2)
          .string(value)
          .finish(),
      ),
    ]),
  );

describe("OTLP/protobuf", () => {
  it("reads the SDK's protobuf as the same calls as its JSON, logs and server spans", async () => {
    const logs = sdkLogRecords(calls);
    const fromJson = otlpRecords(
      "logs",
      JSON.parse(new TextDecoder().decode(JsonLogsSerializer.serializeRequest(logs))),
    );
    const fromProto = await otlpProtobufRecords("logs", ProtobufLogsSerializer.serializeRequest(logs)!, LIMITS);
    expect(readings(fromProto)).toEqual(readings(fromJson));
    expect(readings(fromProto).map((r) => (r.ok === true ? [r.call.outcome, r.call.principal] : r))).toEqual([
      ["success", ""],
      ["authn_failure", "alice"],
      ["authz_denied", ""],
    ]);
    const spans = sdkSpans(calls);
    const spansJson = otlpRecords(
      "traces",
      JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans))),
    );
    const spansProto = await otlpProtobufRecords("traces", ProtobufTraceSerializer.serializeRequest(spans)!, LIMITS);
    expect(readings(spansProto)).toEqual(readings(spansJson));
    const [third] = readings(spansProto).slice(2);
    expect(third).toMatchObject({ ok: true, call: { route: "/v1/accounts/{id}", path: "/v1/accounts/7" } });
    // The trace and span ids are hex, as in OTLP/JSON: the event id is the same whichever encoding came.
    expect(third?.ok === true && third.call.eventId).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
  });

  it("refuses a body that is cut short or is not protobuf, saying which message it expected", async () => {
    const whole = otlpProtobuf("logs", calls);
    for (const body of [whole.subarray(0, whole.length - 7), new TextEncoder().encode('{"resourceLogs": []}')])
      await expect(otlpProtobufRecords("logs", body, LIMITS)).rejects.toMatchObject({
        code: "VALIDATION",
        message: expect.stringMatching(/not an OTLP\/protobuf ExportLogsServiceRequest/),
      });
  });

  it("refuses OTLP/JSON of the wrong shape as protobuf of the wrong wire type is, and reads an export of nothing as nothing", () => {
    for (const body of [[], "resourceLogs", { resourceLogs: {} }, { resourceLogs: [{ scopeLogs: "x" }] }])
      expect(() => otlpRecords("logs", body)).toThrow(/OTLP\/JSON/);
    for (const body of [{}, { resourceLogs: [] }, { resource_logs: [{ scope_logs: [{ log_records: [] }] }] }])
      expect(otlpRecords("logs", body)).toEqual([]);
  });

  it("counts what a record would allocate before decoding it: millions of empty attributes are refused", async () => {
    // 3 million empty KeyValue fields (2 bytes each) in one log record: 6 MB that would decode to 3 million objects.
    const emptyAttribute = Uint8Array.of((6 << 3) | 2, 0);
    const record = Buffer.alloc(3_000_000 * 2);
    for (let i = 0; i < record.length; i += 2) record.set(emptyAttribute, i);
    await expect(otlpProtobufRecords("logs", logsRequest(record), LIMITS)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/more than 2,000,000 attributes and records/),
    });
  });

  it("refuses more records than a batch holds, naming the exporter's setting", async () => {
    const minimal = Writer.create()
      .uint32((1 << 3) | 1)
      .fixed64(1)
      .finish();
    const request = logsRequest(...Array.from({ length: 11 }, () => minimal));
    await expect(otlpProtobufRecords("logs", request, { ...LIMITS, maxRecords: 10 })).rejects.toMatchObject({
      message: expect.stringMatching(/at most 10 records.*send_batch_max_size/),
    });
  });

  it("skips what it does not read: a map nested 5,000 deep (15,000 messages), unknown fields, a group", async () => {
    // AnyValue.kvlist_value (6) → KeyValueList.values (1) → KeyValue.value (2) → AnyValue …, as an attribute's value.
    let value: Uint8Array = Writer.create()
      .uint32((1 << 3) | 2)
      .string("x")
      .finish();
    for (let i = 0; i < 5_000; i++) value = message(6, message(1, message(2, value)));
    const deepAttribute = message(
      6,
      Buffer.concat([
        Writer.create()
          .uint32((1 << 3) | 2)
          .string("deep")
          .finish(),
        message(2, value),
      ]),
    );
    const method = stringKeyValue(6, "http.request.method", "GET");
    const path = stringKeyValue(6, "url.path", "/v1/x");
    const time = Writer.create()
      .uint32((1 << 3) | 1)
      .fixed64(Date.now() * 1_000_000)
      .finish();
    // Field 99 as a varint, and field 98 as a group (wire types 3 and 4) holding a varint.
    const unknown = Writer.create()
      .uint32((99 << 3) | 0)
      .uint64(7)
      .uint32((98 << 3) | 3)
      .uint32((1 << 3) | 0)
      .uint32(5)
      .uint32((98 << 3) | 4)
      .finish();
    const records = await otlpProtobufRecords(
      "logs",
      logsRequest(Buffer.concat([time, deepAttribute, method, path, unknown])),
      LIMITS,
    );
    expect(readings(records)).toEqual([{ ok: true, call: expect.objectContaining({ method: "GET", path: "/v1/x" }) }]);
    expect(records[0]!.attrs.deep).toBeUndefined();
  });
});

describe("OTLP/protobuf as exporters write it", () => {
  it("a resource with a schema URL (the Go SDK's default resource has one) is read, not refused", async () => {
    const record = Writer.create()
      .uint32((1 << 3) | 1)
      .fixed64(Date.now() * 1_000_000)
      .finish();
    const resourceLogs = Buffer.concat([
      message(2, message(2, record)),
      Writer.create()
        .uint32((3 << 3) | 2)
        .string("https://opentelemetry.io/schemas/1.26.0")
        .finish(),
    ]);
    const records = await otlpProtobufRecords("logs", message(1, resourceLogs), LIMITS);
    expect(records).toHaveLength(1);
  });

  it("a resource written twice is merged, as protobuf merges a message field: both halves' attributes apply", async () => {
    const record = Writer.create()
      .uint32((1 << 3) | 1)
      .fixed64(Date.now() * 1_000_000)
      .finish();
    const resourceLogs = Buffer.concat([
      message(1, stringKeyValue(1, "service.name", "edge")),
      message(2, message(2, record)),
      message(1, stringKeyValue(1, "server.address", "ledger.internal")),
    ]);
    const [read] = await otlpProtobufRecords("logs", message(1, resourceLogs), LIMITS);
    expect(read!.attrs).toEqual({ "service.name": "edge", "server.address": "ledger.internal" });
  });

  it("an unknown group is skipped to its own end; an end-group of another field, or without a start, is refused", async () => {
    const record = Writer.create()
      .uint32((1 << 3) | 1)
      .fixed64(Date.now() * 1_000_000)
      .finish();
    const tag = (field: number, wire: number) =>
      Writer.create()
        .uint32((field << 3) | wire)
        .finish();
    const varint = (field: number) =>
      Writer.create()
        .uint32(field << 3)
        .uint32(5)
        .finish();
    const group = (inner: Uint8Array[], start: number, end = start) =>
      Buffer.concat([tag(start, 3), ...inner, tag(end, 4)]);
    const withResourceField = (field: Uint8Array) => message(1, Buffer.concat([field, message(2, message(2, record))]));
    // Field 9 as a group holding a varint and a nested group 10.
    const skipped = await otlpProtobufRecords(
      "logs",
      withResourceField(group([varint(1), group([varint(2)], 10)], 9)),
      LIMITS,
    );
    expect(skipped).toHaveLength(1);
    for (const bad of [group([varint(1)], 9, 8), tag(9, 4), Buffer.concat(Array.from({ length: 40 }, () => tag(9, 3)))])
      await expect(otlpProtobufRecords("logs", withResourceField(bad), LIMITS)).rejects.toMatchObject({
        code: "VALIDATION",
      });
  });

  it("a resource's attributes are not copied into each record beyond the names read", async () => {
    const attribute = (key: string) => stringKeyValue(1, key, "v");
    const resource = message(
      1,
      Buffer.concat(Array.from({ length: 2000 }, (_, i) => attribute(i ? `junk.${i}` : "service.name"))),
    );
    const record = Writer.create()
      .uint32((1 << 3) | 1)
      .fixed64(Date.now() * 1_000_000)
      .finish();
    const scope = message(2, Buffer.concat(Array.from({ length: 50 }, () => message(2, record))));
    const records = await otlpProtobufRecords("logs", message(1, Buffer.concat([resource, scope])), LIMITS);
    expect(records).toHaveLength(50);
    expect(Object.keys(records[0]!.attrs)).toEqual(["service.name"]);
  });

  it("a trace id of 10 MB is no id: dropped, not hex-encoded to 20 MB and carried into the event", async () => {
    const record = Buffer.concat([
      Writer.create()
        .uint32((1 << 3) | 1)
        .fixed64(Date.now() * 1_000_000)
        .finish(),
      message(9, Buffer.alloc(10 * 1024 * 1024, 0xab)),
      message(10, Buffer.alloc(8, 0xcd)),
      stringKeyValue(6, "http.request.method", "GET"),
      stringKeyValue(6, "url.path", "/v1/x"),
    ]);
    const records = await otlpProtobufRecords("logs", logsRequest(record), LIMITS);
    expect(records[0]!.item).toMatchObject({ traceId: "", spanId: "cdcdcdcdcdcdcdcd" });
    expect(readings(records)).toEqual([{ ok: true, call: expect.objectContaining({ path: "/v1/x" }) }]);
  });
});
