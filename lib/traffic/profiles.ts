import { unreadable, unreadableOf } from "@/lib/input/unreadable";
import type { Outcome } from "@/lib/events/outcomes";
import { otlpRecords, readOtlp } from "@/lib/traffic/otlp-records";
import { finish, isObject, pick, type Json, type Reading } from "@/lib/traffic/read-fields";
import type { Profile } from "@/lib/traffic/schemas";
import {
  MAPPED_FIELDS,
  parsePathExpression,
  storedMapping,
  type MappedField,
  type PathStep,
  type TimeUnit,
} from "@/lib/traffic/field-mapping";

// What gateways and log shippers already emit, read as they send it. Each profile turns one vendor's
// record into an observed call: when, which host and path (for routing to an inventory entry), which
// gateway route or service, the status and what it means for authentication, who called (client and
// user) and from where. Nothing here touches the database; sources (which profile, which token, lenient
// or strict) and routing build on it. A record that cannot be read says why, for the quarantine.

export type { ObservedCall, Reading } from "@/lib/traffic/read-fields";

/**
 * The records a request body holds for a profile: Kong batches (an array when max_batch_size > 1),
 * NDJSON lines already split by the caller, OTLP's resource → scope → record nesting (logs and spans),
 * and Kinesis Data Firehose's HTTP-endpoint envelope (base64 records, each one or more newline-separated
 * JSON lines).
 */
export function recordsOf(profile: Profile, body: unknown, mapping: CompiledMapping | null = null): unknown[] {
  if (profile === "json" && mapping?.records) {
    // A body that wraps its records (a webhook's {"events": [...]}): each body's records, in order.
    const bodies = Array.isArray(body) ? body : [body];
    return bodies.flatMap((b) => {
      const inner = valueAt(b, mapping.records!);
      return Array.isArray(inner)
        ? inner
        : inner === undefined
          ? [unreadable("no records where the mapping says they are")]
          : [inner];
    });
  }
  if (profile === "otlp") return [...otlpRecords("logs", body), ...otlpRecords("traces", body)];
  if (profile === "aws" && isObject(body) && Array.isArray(body.records)) return firehoseRecords(body.records);
  return Array.isArray(body) ? body : [body];
}

function firehoseRecords(records: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const r of records) {
    const data = isObject(r) && typeof r.data === "string" ? Buffer.from(r.data, "base64").toString("utf8") : null;
    if (data === null) {
      out.push(unreadable("a Firehose record without base64 data"));
      continue;
    }
    for (const line of data.split("\n")) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        out.push(unreadable("a Firehose record that is not JSON", line.slice(0, 16384)));
      }
    }
  }
  return out;
}

/**
 * Reads one record of a profile (a source of the "any JSON" format with its compiled field mapping).
 * `skip`: a record the profile ignores by design (a client span).
 */
export function readRecord(
  profile: Profile,
  record: unknown,
  now = new Date(),
  mapping: CompiledMapping | null = null,
): Reading {
  const bad = unreadableOf(record);
  if (bad) return { ok: false, reason: bad.reason };
  if (!isObject(record)) return { ok: false, reason: "not a JSON object" };
  if (profile === "json")
    return mapping ? readMapped(mapping, record, now) : { ok: false, reason: "the source has no field mapping" };
  return READERS[profile](record, now);
}

/** A field mapping with its path expressions parsed once per batch. */
export type CompiledMapping = { [F in MappedField]: PathStep[][] | null } & {
  records: PathStep[][] | null;
  timeUnit: TimeUnit;
};

/** The stored mapping of a source (JSON text), compiled; null when there is none or it no longer validates. */
export function compileMapping(stored: string | null | undefined): CompiledMapping | null {
  const m = storedMapping(stored);
  if (!m) return null;
  const compile = (expression: string) => {
    const steps = expression ? parsePathExpression(expression) : null;
    return typeof steps === "string" ? null : steps;
  };
  return {
    ...(Object.fromEntries(MAPPED_FIELDS.map((f) => [f, compile(m[f])])) as {
      [F in MappedField]: PathStep[][] | null;
    }),
    records: compile(m.records),
    timeUnit: m.timeUnit,
  };
}

/** The value at the first alternative that holds one; a record's own keys only. */
function valueAt(record: unknown, alternatives: PathStep[][]): unknown {
  for (const steps of alternatives) {
    let v: unknown = record;
    for (const step of steps) {
      if (typeof step === "number") v = Array.isArray(v) ? v[step] : undefined;
      else v = isObject(v) && Object.hasOwn(v, step) ? v[step] : undefined;
      if (v === undefined) break;
    }
    if (v !== undefined && v !== null && v !== "") return v;
  }
  return undefined;
}

function mappedText(record: Json, alternatives: PathStep[][] | null): string {
  if (!alternatives) return "";
  const v = valueAt(record, alternatives);
  if (typeof v === "string") return v === "-" ? "" : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return "";
}

function readMapped(m: CompiledMapping, r: Json, now: Date): Reading {
  return finish(
    {
      time: mappedText(r, m.time),
      host: mappedText(r, m.host),
      method: mappedText(r, m.method),
      path: mappedText(r, m.path),
      route: mappedText(r, m.route),
      gatewayRoute: mappedText(r, m.gatewayRoute),
      status: mappedText(r, m.status),
      clientId: mappedText(r, m.clientId),
      principal: mappedText(r, m.principal),
      sourceIp: mappedText(r, m.sourceIp),
      eventId: mappedText(r, m.eventId),
    },
    now,
    m.timeUnit,
  );
}

const READERS: Record<Exclude<Profile, "json">, (r: Json, now: Date) => Reading> = {
  otlp: readOtlp,
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
