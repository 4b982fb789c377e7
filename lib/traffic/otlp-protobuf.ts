import { Reader, Root, type Type } from "protobufjs/light";
import { AppError } from "@/lib/errors";
import { TimeSlice } from "@/lib/runtime/event-loop";
import { OTLP_NESTING, readAttributes, type OtlpRecord, type OtlpSignal } from "@/lib/traffic/otlp-records";

// OTLP/HTTP's binary encoding: ExportLogsServiceRequest / ExportTraceServiceRequest (opentelemetry-proto,
// opentelemetry/proto/collector/{logs,trace}/v1/*_service.proto), decoded by protobufjs from the message
// definitions below — only the fields ApiLedger reads; every other field is skipped unread, as protobuf
// readers do with fields they do not know. AnyValue's arrays and maps (the only recursive fields) are
// among those skipped, so a message cannot nest deeper than these definitions.
//
// The request is walked record by record rather than decoded whole: the walk counts what it will
// allocate before it decodes (a 32 MB body of empty attributes would otherwise become 16 million
// objects), and hands the event loop back between records.

const string = (id: number) => ({ type: "string", id });
const repeated = (type: string, id: number) => ({ rule: "repeated", type, id });
const DESCRIPTOR = {
  nested: {
    AnyValue: {
      oneofs: { value: { oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "bytesValue"] } },
      fields: {
        stringValue: string(1),
        boolValue: { type: "bool", id: 2 },
        intValue: { type: "int64", id: 3 },
        doubleValue: { type: "double", id: 4 },
        bytesValue: { type: "bytes", id: 7 },
      },
    },
    KeyValue: { fields: { key: string(1), value: { type: "AnyValue", id: 2 } } },
    Resource: { fields: { attributes: repeated("KeyValue", 1) } },
    LogRecord: {
      fields: {
        timeUnixNano: { type: "fixed64", id: 1 },
        severityNumber: { type: "int32", id: 2 },
        severityText: string(3),
        body: { type: "AnyValue", id: 5 },
        attributes: repeated("KeyValue", 6),
        traceId: { type: "bytes", id: 9 },
        spanId: { type: "bytes", id: 10 },
        observedTimeUnixNano: { type: "fixed64", id: 11 },
        eventName: string(12),
      },
    },
    Span: {
      fields: {
        traceId: { type: "bytes", id: 1 },
        spanId: { type: "bytes", id: 2 },
        parentSpanId: { type: "bytes", id: 4 },
        name: string(5),
        kind: { type: "int32", id: 6 },
        startTimeUnixNano: { type: "fixed64", id: 7 },
        endTimeUnixNano: { type: "fixed64", id: 8 },
        attributes: repeated("KeyValue", 9),
      },
    },
    ExportLogsPartialSuccess: { fields: { rejectedLogRecords: { type: "int64", id: 1 }, errorMessage: string(2) } },
    ExportLogsServiceResponse: { fields: { partialSuccess: { type: "ExportLogsPartialSuccess", id: 1 } } },
    ExportTracePartialSuccess: { fields: { rejectedSpans: { type: "int64", id: 1 }, errorMessage: string(2) } },
    ExportTraceServiceResponse: { fields: { partialSuccess: { type: "ExportTracePartialSuccess", id: 1 } } },
    // google/rpc/status.proto: what an OTLP/HTTP server answers a refused request with.
    Status: { fields: { code: { type: "int32", id: 1 }, message: string(2) } },
  },
};
const root = Root.fromJSON(DESCRIPTOR);
const type = (name: string): Type => root.lookupType(name);
const TYPES = { Resource: type("Resource"), LogRecord: type("LogRecord"), Span: type("Span") };

/** Field numbers of the walked levels: request → resource-level → scope-level → record. */
const FIELD = {
  requestResources: 1,
  resource: 1,
  resourceScopes: 2,
  scopeRecords: 2,
} as const;
const LENGTH_DELIMITED = 2;
const TO_OBJECT = { longs: String, enums: Number, bytes: String } as const;
/** Byte fields OTLP/JSON writes as hex (not proto3 JSON's base64). */
const HEX_FIELDS = ["traceId", "spanId", "parentSpanId"] as const;
/** A trace id's 16 bytes as base64, with room: longer byte fields are not ids. */
const MAX_ID_BASE64 = 64;

/**
 * The log records or spans of an OTLP/protobuf request, in the shape lib/traffic/otlp-records.ts reads
 * from OTLP/JSON. At most `maxRecords` records and `maxElements` fields in all (else 400).
 */
export async function otlpProtobufRecords(
  signal: OtlpSignal,
  bytes: Uint8Array,
  limits: { maxRecords: number; maxElements: number },
): Promise<OtlpRecord[]> {
  const reader = Reader.create(bytes);
  reader.discardUnknown = true;
  const out: OtlpRecord[] = [];
  const slice = new TimeSlice();
  let elements = 0;
  const spend = (n: number) => {
    elements += n;
    if (elements > limits.maxElements)
      throw new AppError(
        "VALIDATION",
        `The request holds more than ${limits.maxElements.toLocaleString("en-AU")} attributes and records; send smaller batches.`,
      );
  };
  const leafType = signal === "logs" ? TYPES.LogRecord : TYPES.Span;
  try {
    const charge = () => spend(1);
    for (const resource of fieldsOf(reader, reader.len, FIELD.requestResources, charge)) {
      if (slice.due) await slice.yield();
      // A resource's attributes apply to all its records, wherever in the message they are written; a
      // resource written twice is merged, as protobuf merges a repeated message field (the later value of
      // a key wins).
      const resourceAttrs = {};
      const scopes: { pos: number; end: number }[] = [];
      for (const field of allFields(reader, resource.end, charge)) {
        if (field.number === FIELD.resource && field.wire === LENGTH_DELIMITED) {
          spend(countFields(bytes, field.pos, field.end));
          const decoded = TYPES.Resource.toObject(TYPES.Resource.decode(reader, field.end - field.pos), TO_OBJECT);
          readAttributes(decoded.attributes, resourceAttrs);
        } else if (field.number === FIELD.resourceScopes && field.wire === LENGTH_DELIMITED) {
          scopes.push({ pos: field.pos, end: field.end });
          reader.pos = field.end;
          // A length-delimited field (schema_url) was passed over by allFields; only others are skipped here.
        } else if (field.wire !== LENGTH_DELIMITED) skipField(reader, field.number, field.wire, charge);
      }
      const after = reader.pos;
      for (const scope of scopes) {
        reader.pos = scope.pos;
        if (slice.due) await slice.yield();
        for (const record of fieldsOf(reader, scope.end, FIELD.scopeRecords, charge)) {
          if (slice.due) await slice.yield();
          if (out.length === limits.maxRecords) throw tooMany(limits.maxRecords);
          spend(1 + countFields(bytes, record.pos, record.end));
          const item = leafType.toObject(leafType.decode(reader, record.end - record.pos), TO_OBJECT);
          // Ids are 16 or 8 bytes; anything longer is no id and is dropped, not hex-encoded to twice its size.
          for (const key of HEX_FIELDS)
            if (typeof item[key] === "string")
              item[key] = item[key].length <= MAX_ID_BASE64 ? Buffer.from(item[key], "base64").toString("hex") : "";
          out.push({
            signal: OTLP_NESTING[signal].signal,
            item,
            attrs: { ...resourceAttrs, ...readAttributes(item.attributes) },
          });
        }
      }
      reader.pos = after;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      "VALIDATION",
      `The body is not an OTLP/protobuf ${signal === "logs" ? "ExportLogsServiceRequest" : "ExportTraceServiceRequest"}: ${(error as Error).message}.`,
    );
  }
  return out;
}

const tooMany = (max: number) =>
  new AppError(
    "VALIDATION",
    `A batch holds at most ${max.toLocaleString("en-AU")} records. Lower the exporter's batch size (the Collector's batch processor: send_batch_max_size).`,
  );

type Field = { number: number; wire: number; pos: number; end: number };

/** Each field of a message up to `end`: its number, wire type, and (length-delimited) where its value lies. */
function* allFields(reader: Reader, end: number, charge?: () => void): Generator<Field> {
  while (reader.pos < end) {
    charge?.();
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wire = tag & 7;
    if (number === 0) throw new Error("illegal tag: field number 0");
    if (wire === LENGTH_DELIMITED) {
      const length = reader.uint32();
      const pos = reader.pos;
      if (pos + length > end) throw new Error("a field runs past the end of its message");
      yield { number, wire, pos, end: pos + length };
      // The caller decoded the value, or skipped it by moving the reader; either way, on past it.
      reader.pos = pos + length;
    } else yield { number, wire, pos: reader.pos, end: reader.pos };
  }
  if (reader.pos !== end) throw new Error("a message runs past its length");
}

/** The length-delimited values of one field number; every other field is skipped. */
function* fieldsOf(reader: Reader, end: number, number: number, charge?: () => void): Generator<Field> {
  for (const field of allFields(reader, end, charge)) {
    if (field.number === number && field.wire === LENGTH_DELIMITED) yield field;
    else if (field.wire !== LENGTH_DELIMITED) skipField(reader, field.number, field.wire, charge);
  }
}

const START_GROUP = 3;
const END_GROUP = 4;
/** Groups nested deeper than this are refused: OTLP has none, and a skip must not recurse without end. */
const MAX_GROUP_DEPTH = 32;

/**
 * Skips a field that is not length-delimited. A group (proto2's, which no OTLP message has, but which an
 * unknown field may be) is skipped to the end-group of the same field number, without recursion; an
 * end-group of another number, or with no start, is a malformed message.
 */
function skipField(reader: Reader, number: number, wire: number, charge?: () => void): void {
  if (wire === END_GROUP) throw new Error(`an end-group (field ${number}) without its start`);
  if (wire !== START_GROUP) return void reader.skipType(wire);
  const open = [number];
  while (open.length) {
    charge?.();
    const tag = reader.uint32();
    const inner = tag >>> 3;
    const innerWire = tag & 7;
    if (innerWire === END_GROUP) {
      if (open.pop() !== inner) throw new Error(`an end-group (field ${inner}) that closes another group`);
    } else if (innerWire === START_GROUP) {
      if (open.length === MAX_GROUP_DEPTH) throw new Error(`groups nested more than ${MAX_GROUP_DEPTH} deep`);
      open.push(inner);
    } else reader.skipType(innerWire);
  }
}

/** How many fields a message's top level holds (each repeated attribute is one): what decoding it allocates. */
function countFields(bytes: Uint8Array, pos: number, end: number): number {
  const reader = Reader.create(bytes);
  reader.pos = pos;
  let n = 0;
  for (const field of allFields(reader, end)) {
    n++;
    if (field.wire !== LENGTH_DELIMITED) skipField(reader, field.number, field.wire);
  }
  return n;
}

export type OtlpEncoding = "protobuf" | "json";

/** The response body of an export: empty on full success, partial success when some records were rejected. */
export function exportResponse(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  rejected: number,
  errorMessage: string,
): Uint8Array<ArrayBuffer> | string {
  const partialSuccess =
    rejected > 0
      ? signal === "logs"
        ? { rejectedLogRecords: String(rejected), errorMessage }
        : { rejectedSpans: String(rejected), errorMessage }
      : undefined;
  const body = partialSuccess ? { partialSuccess } : {};
  if (encoding === "json") return JSON.stringify(body);
  const responseType = type(signal === "logs" ? "ExportLogsServiceResponse" : "ExportTraceServiceResponse");
  return new Uint8Array(responseType.encode(responseType.fromObject(body)).finish());
}

/** A google.rpc.Status: the body of a refused OTLP/HTTP request. */
export function statusBody(encoding: OtlpEncoding, code: number, message: string): Uint8Array<ArrayBuffer> | string {
  if (encoding === "json") return JSON.stringify({ code, message });
  const status = type("Status");
  return new Uint8Array(status.encode(status.fromObject({ code, message })).finish());
}

/** A google.rpc.Status as an OTLP/HTTP client reads it (tests read refusals with it). */
export function readStatus(bytes: Uint8Array): { code: number; message: string } {
  const status = type("Status");
  return status.toObject(status.decode(bytes), { defaults: true }) as { code: number; message: string };
}
