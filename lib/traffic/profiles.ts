import { isIP } from "node:net";
import { cutText, quotedText, textProblem } from "@/lib/input/text";
import type { Outcome } from "@/lib/events/outcomes";
import type { Profile } from "@/lib/traffic/schemas";

// What gateways and log shippers already emit, read as they send it. Each profile turns one vendor's
// record into an observed call: when, which host and path (for routing to an inventory entry), which
// gateway route or service, the status and what it means for authentication, who called (client and
// user) and from where. Nothing here touches the database; sources (which profile, which token, lenient
// or strict) and routing build on it. A record that cannot be read says why, for the quarantine.

export type ObservedCall = {
  time: Date;
  /** The host the caller addressed (Host header, server.address), lower case, no port. */
  host: string;
  method: string;
  /** The request path without its query. */
  path: string;
  /** The route template when the gateway or framework names one (http.route, `/orders/{id}`). */
  route: string;
  /** The gateway's own name for where the call went (Kong service/route, Traefik router, Envoy route). */
  gatewayRoute: string;
  /** The HTTP status; 0 when the record has none. */
  status: number;
  outcome: Outcome;
  /** The calling application (Kong consumer, OAuth client id), as the gateway identified it. */
  clientId: string;
  /** The user behind the call, when the gateway knows one. */
  principal: string;
  sourceIp: string;
  /** The source's own id for the record (request id), for de-duplication; "" when it has none. */
  eventId: string;
};

export type Reading = { ok: true; call: ObservedCall } | { ok: false; reason: string } | { ok: "skip" };

/** How far in the future a record's time may be (gateway clocks drift a little). */
const FUTURE_SKEW_MS = 5 * 60_000;
const LIMITS = { host: 255, method: 16, path: 500, route: 500, gatewayRoute: 200, clientId: 200, principal: 200 };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);
/** A field by name (OpenTelemetry's dotted attribute names are flat keys), else by a dotted path. */
const get = (o: unknown, path: string): unknown =>
  isObject(o) && path in o ? o[path] : path.split(".").reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), o);
/** The first of the named fields that holds a non-empty string or number, as text. */
function pick(o: unknown, ...paths: string[]): string {
  for (const p of paths) {
    const v = get(o, p);
    if (typeof v === "string" && v !== "" && v !== "-") return v;
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
  }
  return "";
}

/**
 * The records a request body holds for a profile: Kong batches (an array when max_batch_size > 1),
 * NDJSON lines already split by the caller, OTLP's resource → scope → record nesting, and Kinesis Data
 * Firehose's HTTP-endpoint envelope (base64 records, each one or more newline-separated JSON lines).
 */
export function recordsOf(profile: Profile, body: unknown): unknown[] {
  if (profile === "otlp-logs" || profile === "otlp-traces") return otlpRecords(profile, body);
  if (profile === "aws" && isObject(body) && Array.isArray(body.records)) return firehoseRecords(body.records);
  return Array.isArray(body) ? body : [body];
}

function firehoseRecords(records: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const r of records) {
    const data = isObject(r) && typeof r.data === "string" ? Buffer.from(r.data, "base64").toString("utf8") : null;
    if (data === null) {
      out.push({ __unreadable: "a Firehose record without base64 data" });
      continue;
    }
    for (const line of data.split("\n")) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        out.push({ __unreadable: "a Firehose record that is not JSON" });
      }
    }
  }
  return out;
}

/** OTLP/JSON's AnyValue as a plain value (intValue is a string in proto3 JSON). */
function anyValue(v: unknown): unknown {
  if (!isObject(v)) return undefined;
  if ("stringValue" in v) return v.stringValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return Number(v.doubleValue);
  if ("boolValue" in v) return v.boolValue;
  return undefined;
}
const attributes = (list: unknown): Json =>
  Object.fromEntries(
    (Array.isArray(list) ? list : [])
      .filter((a): a is { key: string; value: unknown } => isObject(a) && typeof a.key === "string")
      .map((a) => [a.key, anyValue(a.value)]),
  );

function otlpRecords(profile: Profile, body: unknown): unknown[] {
  const [outer, inner, leaf] =
    profile === "otlp-logs" ? ["resourceLogs", "scopeLogs", "logRecords"] : ["resourceSpans", "scopeSpans", "spans"];
  const out: unknown[] = [];
  for (const resource of isObject(body) && Array.isArray(body[outer]) ? body[outer] : []) {
    const resourceAttrs = attributes(get(resource, "resource.attributes"));
    for (const scope of isObject(resource) && Array.isArray(resource[inner]) ? resource[inner] : [])
      for (const item of isObject(scope) && Array.isArray(scope[leaf]) ? scope[leaf] : [])
        out.push({ item, attrs: { ...resourceAttrs, ...attributes(get(item, "attributes")) } });
  }
  return out;
}

// Dates: ISO 8601, Unix seconds or milliseconds, nanoseconds as OTLP writes them, or the Common Log
// Format's 10/Oct/2000:13:55:36 -0700 (NGINX's $time_local, API Gateway's $context.requestTime).
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const CLF = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
function timeOf(value: string, unit: "auto" | "ms" | "ns" = "auto"): Date | null {
  if (!value) return null;
  const clf = CLF.exec(value);
  if (clf) {
    const [, d, mon, y, h, mi, s, sign, oh, om] = clf;
    const month = MONTHS.indexOf(mon!);
    if (month < 0) return null;
    const offset = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
    return new Date(Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s)) - offset);
  }
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    const ms = unit === "ns" ? n / 1e6 : unit === "ms" ? n : n > 1e11 ? n : n * 1000;
    // 1e20 is finite, and no date: a Date beyond ±8.64e15 ms is invalid.
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "10.0.0.1:5678", "[2001:db8::1]:443", "10.0.0.1, 10.0.0.2" (X-Forwarded-For: the first) → the address. */
function addressOf(value: string): string {
  let v = value.split(",")[0]!.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  return isIP(v) ? v : "";
}

function hostOf(value: string): string {
  let v = value.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(v)) {
    try {
      v = new URL(v).hostname;
    } catch {
      return "";
    }
  }
  if (v.startsWith("[")) return v.slice(1, v.indexOf("]"));
  return v.replace(/:\d+$/, "");
}

function pathOf(value: string): string {
  let v = value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    try {
      v = new URL(v).pathname;
    } catch {
      return "";
    }
  }
  return v.split("?")[0]!.split("#")[0]!;
}

/** 401 is a failed authentication, 403 a denied authorisation, unless the record says more (`hint`). */
function outcomeOf(status: number, hint: Outcome | null = null): Outcome {
  if (hint) return hint;
  return status === 401 ? "authn_failure" : status === 403 ? "authz_denied" : "success";
}

type Fields = Omit<ObservedCall, "time" | "outcome" | "status"> & { time: string; status: string };

function finish(f: Fields, now: Date, timeUnit: "auto" | "ms" | "ns", hint: Outcome | null = null): Reading {
  const time = timeOf(f.time, timeUnit);
  if (!time) return { ok: false, reason: f.time ? `unreadable time “${quotedText(f.time, 40)}”` : "no time" };
  if (time.getTime() > now.getTime() + FUTURE_SKEW_MS) return { ok: false, reason: "time is in the future" };
  const method = f.method.toUpperCase();
  if (!method) return { ok: false, reason: "no request method" };
  if (!/^[A-Z]{1,16}$/.test(method)) return { ok: false, reason: "the request method is not an HTTP method" };
  if (!f.path && !f.route && !f.gatewayRoute) return { ok: false, reason: "no path, route or gateway route" };
  const status = f.status ? Number(f.status) : 0;
  if (!Number.isInteger(status) || status < 0 || status > 999) return { ok: false, reason: "unreadable status" };
  const call: ObservedCall = {
    time,
    host: cutText(hostOf(f.host), LIMITS.host),
    method,
    path: cutText(pathOf(f.path), LIMITS.path),
    route: cutText(f.route, LIMITS.route),
    gatewayRoute: cutText(f.gatewayRoute, LIMITS.gatewayRoute),
    status,
    outcome: outcomeOf(status, hint),
    clientId: cutText(f.clientId, LIMITS.clientId),
    principal: cutText(f.principal, LIMITS.principal),
    sourceIp: addressOf(f.sourceIp),
    eventId: cutText(f.eventId, 200),
  };
  // The outside-text rule: kept as the gateway sent it, but never NUL, lone surrogates or bidi controls.
  for (const key of ["host", "path", "route", "gatewayRoute", "clientId", "principal", "eventId"] as const) {
    const problem = textProblem(call[key]);
    if (problem) return { ok: false, reason: `${key} ${problem}` };
  }
  return { ok: true, call };
}

/** Reads one record of a profile. `skip`: a record the profile ignores by design (a client span). */
export function readRecord(profile: Profile, record: unknown, now = new Date()): Reading {
  if (isObject(record) && typeof record.__unreadable === "string") return { ok: false, reason: record.__unreadable };
  if (!isObject(record)) return { ok: false, reason: "not a JSON object" };
  return READERS[profile](record, now);
}

const READERS: Record<Profile, (r: Json, now: Date) => Reading> = {
  // OpenTelemetry log records (an access log shipped through the Collector): HTTP semantic conventions,
  // current names first, the older ones (http.method, http.target, http.status_code…) as fallbacks.
  "otlp-logs": (r, now) => {
    const a = r.attrs as Json;
    return finish(
      {
        ...otlpCommon(a),
        time: pick(r.item, "timeUnixNano") || pick(r.item, "observedTimeUnixNano"),
        eventId: pick(a, "log.record.uid", "http.request.id", "request.id"),
      },
      now,
      "ns",
    );
  },
  // Server spans only (SPAN_KIND_SERVER = 2): a client span is the same call seen from the other side.
  "otlp-traces": (r, now) => {
    const kind = get(r.item, "kind");
    if (kind !== 2 && kind !== "SPAN_KIND_SERVER") return { ok: "skip" };
    const a = r.attrs as Json;
    return finish(
      {
        ...otlpCommon(a),
        time: pick(r.item, "startTimeUnixNano"),
        eventId: [pick(r.item, "traceId"), pick(r.item, "spanId")].filter(Boolean).join("-"),
      },
      now,
      "ns",
    );
  },
  // NGINX with a JSON log_format (README gives one): the variable names as keys, a few spellings accepted.
  nginx: (r, now) =>
    finish(
      {
        time: pick(r, "time", "time_iso8601", "time_local", "msec", "timestamp", "@timestamp"),
        host: pick(r, "host", "http_host", "server_name"),
        method: pick(r, "request_method", "method"),
        path: pick(r, "uri", "request_uri", "path"),
        route: "",
        gatewayRoute: pick(r, "location", "upstream_name"),
        status: pick(r, "status"),
        clientId: pick(r, "client_id", "http_x_client_id", "ssl_client_s_dn"),
        principal: pick(r, "remote_user", "user"),
        sourceIp: pick(r, "remote_addr", "client_ip"),
        eventId: pick(r, "request_id"),
      },
      now,
      "auto",
    ),
  // Kong's http-log / file-log plugin object: started_at in milliseconds, the consumer as the client.
  kong: (r, now) =>
    finish(
      {
        time: pick(r, "started_at"),
        host: pick(r, "request.headers.host", "request.url"),
        method: pick(r, "request.method"),
        path: pick(r, "request.uri", "request.url"),
        route: "",
        gatewayRoute: pick(r, "route.name", "service.name", "route.id"),
        status: pick(r, "response.status"),
        clientId: pick(r, "consumer.username", "consumer.custom_id", "consumer.id", "authenticated_entity.id"),
        principal: pick(r, "request.headers.x-authenticated-userid", "authenticated_entity.consumer_id"),
        sourceIp: pick(r, "client_ip"),
        eventId: pick(r, "request.id", "request.headers.x-kong-request-id", "response.headers.x-kong-request-id"),
      },
      now,
      "ms",
    ),
  // Envoy's JSON access log with the command operators as Istio names them; UAEX (the external
  // authorisation service said no) and a 401 from ext_authz are failures whatever else the record says.
  envoy: (r, now) => {
    const flags = pick(r, "response_flags").split(",");
    const status = Number(pick(r, "response_code")) || 0;
    const hint: Outcome | null = flags.includes("UAEX") ? (status === 401 ? "authn_failure" : "authz_denied") : null;
    return finish(
      {
        time: pick(r, "start_time", "timestamp"),
        host: pick(r, "authority", "requested_server_name"),
        method: pick(r, "method"),
        path: pick(r, "path", "x_envoy_original_path"),
        route: "",
        gatewayRoute: pick(r, "route_name", "upstream_cluster"),
        status: pick(r, "response_code"),
        clientId: pick(r, "client_id", "x_client_id", "downstream_peer_subject"),
        principal: pick(r, "user", "x_user_id"),
        sourceIp: pick(r, "x_forwarded_for", "downstream_remote_address", "downstream_direct_remote_address"),
        eventId: pick(r, "request_id", "x_request_id"),
      },
      now,
      "auto",
      hint,
    );
  },
  // AWS API Gateway access logs ($context variables, as the console's JSON template names them). A
  // missing or bad token is a 403 there; error.responseType says it was authentication that failed.
  aws: (r, now) => {
    const type = pick(r, "responseType", "errorResponseType", "error.responseType");
    const authn = [
      "UNAUTHORIZED",
      "MISSING_AUTHENTICATION_TOKEN",
      "INVALID_SIGNATURE",
      "EXPIRED_TOKEN",
      "INVALID_API_KEY",
    ];
    const hint: Outcome | null = authn.includes(type)
      ? "authn_failure"
      : type === "ACCESS_DENIED"
        ? "authz_denied"
        : null;
    return finish(
      {
        time: pick(r, "requestTimeEpoch", "requestTime"),
        host: pick(r, "domainName"),
        method: pick(r, "httpMethod"),
        path: pick(r, "path", "resourcePath"),
        route: pick(r, "resourcePath", "routeKey").replace(/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /, ""),
        gatewayRoute: pick(r, "apiId", "stage"),
        status: pick(r, "status"),
        clientId: pick(r, "apiKeyId", "clientId", "authorizerPrincipalId", "principalId"),
        principal: pick(r, "user", "caller", "cognitoIdentityId"),
        sourceIp: pick(r, "ip", "sourceIp"),
        eventId: pick(r, "requestId", "extendedRequestId"),
      },
      now,
      "auto",
      hint,
    );
  },
  // Traefik's JSON access log (accessLog.format: json), its documented field names.
  traefik: (r, now) =>
    finish(
      {
        time: pick(r, "StartUTC", "time"),
        host: pick(r, "RequestHost", "RequestAddr"),
        method: pick(r, "RequestMethod"),
        path: pick(r, "RequestPath"),
        route: "",
        gatewayRoute: pick(r, "RouterName", "ServiceName"),
        status: pick(r, "DownstreamStatus", "OriginStatus"),
        clientId: pick(r, "request_X-Client-Id", "request_X-Api-Key-Id"),
        principal: pick(r, "ClientUsername"),
        sourceIp: pick(r, "ClientHost", "ClientAddr"),
        eventId: pick(r, "request_X-Request-Id"),
      },
      now,
      "auto",
    ),
};

function otlpCommon(a: Json) {
  return {
    host: pick(a, "server.address", "http.host", "net.host.name", "url.full", "http.url"),
    method: pick(a, "http.request.method", "http.method"),
    path: pick(a, "url.path", "http.target", "url.full", "http.url"),
    route: pick(a, "http.route"),
    gatewayRoute: pick(a, "service.name"),
    status: pick(a, "http.response.status_code", "http.status_code"),
    clientId: pick(a, "apiledger.client.id", "oauth.client_id", "client_id"),
    principal: pick(a, "user.id", "enduser.id", "user.name"),
    sourceIp: pick(a, "client.address", "http.client_ip", "net.sock.peer.addr", "net.peer.ip"),
  };
}
