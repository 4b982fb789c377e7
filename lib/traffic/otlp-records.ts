import { AppError } from "@/lib/errors";
import { unreadable, type Unreadable } from "@/lib/input/unreadable";
import { finish, get, isObject, pick, pickFlat, type Json, type Reading } from "@/lib/traffic/read-fields";

// OpenTelemetry's records (OTLP/JSON as sent, or OTLP/protobuf decoded to the same shape by
// lib/traffic/otlp-protobuf.ts): log records and spans, each with its resource's attributes under its
// own, read through the HTTP semantic conventions.

export type OtlpSignal = "logs" | "traces";

/** One log record or span with its attributes and its resource's as one flat object. */
export type OtlpRecord = { signal: "log" | "span"; item: Json; attrs: Json };

/** The nesting of each signal's request: resource → scope → record (OTLP/JSON's lowerCamelCase names). */
export const OTLP_NESTING = {
  logs: { resources: "resourceLogs", scopes: "scopeLogs", records: "logRecords", signal: "log" },
  traces: { resources: "resourceSpans", scopes: "scopeSpans", records: "spans", signal: "span" },
} as const;

/** OTLP/JSON's AnyValue as a plain value (intValue is a string in proto3 JSON); arrays and maps are not read. */
function anyValue(v: unknown): unknown {
  if (!isObject(v)) return undefined;
  if ("stringValue" in v) return v.stringValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return Number(v.doubleValue);
  if ("boolValue" in v) return v.boolValue;
  return undefined;
}

/**
 * A repeated field by its JSON name, or the proto name (snake_case) some encoders write. One that is
 * there but not a list is a request OTLP cannot decode (400, as a protobuf of the wrong wire type is).
 */
function list(o: unknown, camel: string): unknown[] {
  if (!isObject(o)) return [];
  const value = o[camel] ?? o[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
  if (value === undefined || value === null || Array.isArray(value)) return value ?? [];
  throw new AppError("VALIDATION", `OTLP/JSON's ${camel} must be a list.`);
}

/**
 * The attribute names the readers below look at: only these are copied beside each record, so a
 * resource with 100,000 attributes is not copied into each of its records (that took 4 GB, measured).
 */
export const READ_KEYS = new Set([
  "server.address",
  "http.host",
  "net.host.name",
  "url.full",
  "http.url",
  "http.request.method",
  "http.method",
  "url.path",
  "http.target",
  "http.route",
  "service.name",
  "http.response.status_code",
  "http.status_code",
  "apiledger.client.id",
  "oauth.client_id",
  "client_id",
  "user.id",
  "enduser.id",
  "user.name",
  "client.address",
  "http.client_ip",
  "net.sock.peer.addr",
  "net.peer.ip",
  "log.record.uid",
  "http.request.id",
  "request.id",
]);

/** A record's and its resource's attributes as the readers use them: only the names they read. */
export function readAttributes(list: unknown, into: Json = {}): Json {
  if (!Array.isArray(list)) return into;
  for (const a of list)
    if (isObject(a) && typeof a.key === "string" && READ_KEYS.has(a.key)) into[a.key] = anyValue(a.value);
  return into;
}

/** The log records or spans of an OTLP/JSON request body, each with its resource's attributes. */
export function otlpRecords(signal: OtlpSignal, body: unknown): (OtlpRecord | Unreadable)[] {
  const nesting = OTLP_NESTING[signal];
  if (!isObject(body)) throw new AppError("VALIDATION", `An OTLP/JSON export is an object with ${nesting.resources}.`);
  const out: (OtlpRecord | Unreadable)[] = [];
  for (const resource of list(body, nesting.resources)) {
    const resourceAttrs = readAttributes(get(resource, "resource.attributes"));
    for (const scope of list(resource, nesting.scopes))
      for (const item of list(scope, nesting.records))
        if (isObject(item))
          out.push({ signal: nesting.signal, item, attrs: readAttributes(item.attributes, { ...resourceAttrs }) });
        else out.push(unreadable("a record that is not an object", JSON.stringify(item)));
  }
  return out;
}

/**
 * Reads a log record (an access log shipped through the Collector) or a server span. HTTP semantic
 * conventions, current names first, the older ones (http.method, http.target, http.status_code…) as
 * fallbacks. A record kept before logs and spans shared a profile says which it is by its fields.
 */
export function readOtlp(r: Json, now: Date): Reading {
  const a = isObject(r.attrs) ? r.attrs : {};
  const isSpan = r.signal === "span" || (r.signal === undefined && get(r.item, "spanId") !== undefined);
  if (!isSpan)
    return finish(
      {
        ...otlpCommon(a),
        // 0 is "not known" (OTLP): the time the collector saw the record then stands in.
        time: known(pick(r.item, "timeUnixNano")) || known(pick(r.item, "observedTimeUnixNano")),
        eventId: pickFlat(a, "log.record.uid", "http.request.id", "request.id"),
      },
      now,
      "ns",
    );
  // Server spans only (SPAN_KIND_SERVER = 2): a client span is the same call seen from the other side.
  const kind = get(r.item, "kind");
  if (kind !== 2 && kind !== "SPAN_KIND_SERVER") return { ok: "skip" };
  return finish(
    {
      ...otlpCommon(a),
      time: pick(r.item, "startTimeUnixNano"),
      eventId: [pick(r.item, "traceId"), pick(r.item, "spanId")].filter(Boolean).join("-"),
    },
    now,
    "ns",
  );
}

const known = (nanos: string) => (/^0+$/.test(nanos) ? "" : nanos);

function otlpCommon(a: Json) {
  return {
    host: pickFlat(a, "server.address", "http.host", "net.host.name", "url.full", "http.url"),
    method: pickFlat(a, "http.request.method", "http.method"),
    path: pickFlat(a, "url.path", "http.target", "url.full", "http.url"),
    route: pickFlat(a, "http.route"),
    gatewayRoute: pickFlat(a, "service.name"),
    status: pickFlat(a, "http.response.status_code", "http.status_code"),
    clientId: pickFlat(a, "apiledger.client.id", "oauth.client_id", "client_id"),
    principal: pickFlat(a, "user.id", "enduser.id", "user.name"),
    sourceIp: pickFlat(a, "client.address", "http.client_ip", "net.sock.peer.addr", "net.peer.ip"),
  };
}
