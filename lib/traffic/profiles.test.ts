import { describe, expect, it } from "vitest";
import { unreadable } from "@/lib/input/unreadable";
import { readRecord, recordsOf, type ObservedCall } from "@/lib/traffic/profiles";
import type { Profile } from "@/lib/traffic/schemas";

// Each profile reads records written as the vendor's documentation describes them (field names, types
// and nesting), cited beside each. Real records from these gateways will be sent to it.

const NOW = new Date("2026-11-30T03:00:00Z");
const read = (profile: Profile, body: unknown) => recordsOf(profile, body).map((r) => readRecord(profile, r, NOW));
const call = (profile: Profile, body: unknown): ObservedCall => {
  const [first] = read(profile, body);
  if (!first || first.ok !== true) throw new Error(`not read: ${JSON.stringify(first)}`);
  return first.call;
};

describe("gateway profiles", () => {
  it("NGINX: a JSON log_format (ngx_http_log_module, escape=json) with $status unquoted", () => {
    // https://nginx.org/en/docs/http/ngx_http_log_module.html#log_format — the variables README's format uses.
    const c = call("nginx", {
      time: "2026-11-30T02:10:45+00:00",
      remote_addr: "10.20.30.40",
      remote_user: "",
      request_method: "post",
      host: "Orders.Internal.Example",
      uri: "/v1/orders",
      status: 401,
      request_id: "7f1c3b0e9a",
      client_id: "billing-batch",
    });
    expect(c).toMatchObject({
      host: "orders.internal.example",
      method: "POST",
      path: "/v1/orders",
      status: 401,
      outcome: "authn_failure",
      clientId: "billing-batch",
      sourceIp: "10.20.30.40",
      eventId: "7f1c3b0e9a",
    });
    expect(c.time.toISOString()).toBe("2026-11-30T02:10:45.000Z");
    // $time_local is the Common Log Format date.
    expect(
      call("nginx", { time_local: "30/Nov/2026:13:10:45 +1100", request_method: "GET", uri: "/x?y=1" }),
    ).toMatchObject({ time: new Date("2026-11-30T02:10:45Z"), path: "/x" });
  });

  it("Kong: the http-log plugin's object, and its batches (an array when max_batch_size > 1)", () => {
    // https://developer.konghq.com/plugins/http-log — "Log format" sample object.
    const record = {
      request: {
        id: "2f6946328ffc4946b8c9120704a4a155",
        method: "GET",
        uri: "/anything?x=1",
        url: "http://localhost:8000/anything?x=1",
        size: 103,
        headers: { host: "localhost:8000", "user-agent": "curl/8.5.0", accept: "*/*" },
        querystring: { x: "1" },
      },
      response: { status: 403, size: 9982, headers: { "content-type": "application/json" } },
      route: { id: "78f79740-c410-4fd9-a998-d0a60a99dc9b", name: "example-route", paths: ["/anything"] },
      service: { id: "fb4eecf8-dec2-40ef-b779-16de7e2384c7", name: "example-service", host: "httpbin.konghq.com" },
      consumer: { id: "a4e8d2b8-2bb6-4b2c-9c6d-ff45a9a7a0a1", username: "payments-batch" },
      latencies: { proxy: 171, kong: 1, request: 173 },
      tries: [{ balancer_latency: 0, port: 80, ip: "34.237.204.224" }],
      client_ip: "192.168.65.1",
      upstream_uri: "/anything?x=1",
      started_at: 1764468645123,
    };
    const [one, two] = read("kong", [record, { ...record, consumer: undefined, client_ip: "10.0.0.9" }]);
    expect(one).toMatchObject({
      ok: true,
      call: {
        host: "localhost",
        method: "GET",
        path: "/anything",
        gatewayRoute: "example-route",
        status: 403,
        outcome: "authz_denied",
        clientId: "payments-batch",
        sourceIp: "192.168.65.1",
        eventId: "2f6946328ffc4946b8c9120704a4a155",
      },
    });
    expect(one!.ok === true && one!.call.time.toISOString()).toBe("2025-11-30T02:10:45.123Z");
    expect(two).toMatchObject({ ok: true, call: { clientId: "", sourceIp: "10.0.0.9" } });
  });

  it("Envoy: the JSON access log with Istio's field names; UAEX marks the external authoriser's refusal", () => {
    // https://istio.io/latest/docs/tasks/observability/logs/access-log/ (default JSON encoding) and
    // https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage (%RESPONSE_FLAGS%).
    const base = {
      start_time: "2026-11-30T02:10:45.123Z",
      method: "DELETE",
      path: "/records/42",
      protocol: "HTTP/1.1",
      response_code: 403,
      response_flags: "UAEX",
      response_code_details: "ext_authz_denied",
      authority: "records.internal.example:8443",
      upstream_host: null,
      upstream_cluster: "outbound|8080||records.default.svc.cluster.local",
      downstream_remote_address: "10.44.0.7:53412",
      x_forwarded_for: null,
      user_agent: "python-requests/2.32",
      request_id: "c0ffee00-1111-2222-3333-444455556666",
      route_name: "records-delete",
      bytes_received: 0,
      bytes_sent: 0,
      duration: 3,
    };
    expect(call("envoy", base)).toMatchObject({
      host: "records.internal.example",
      method: "DELETE",
      status: 403,
      outcome: "authz_denied",
      gatewayRoute: "records-delete",
      sourceIp: "10.44.0.7",
    });
    expect(call("envoy", { ...base, response_code: 401 }).outcome).toBe("authn_failure");
    expect(call("envoy", { ...base, response_flags: "-", response_code: 200 }).outcome).toBe("success");
    expect(call("envoy", { ...base, x_forwarded_for: "203.0.113.5, 10.0.0.1" }).sourceIp).toBe("203.0.113.5");
  });

  it("AWS API Gateway: $context access logs, directly and through Kinesis Data Firehose's HTTP endpoint", () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html (JSON format; values
    // are strings) and https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html.
    const rest = {
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      ip: "198.51.100.23",
      caller: "-",
      user: "-",
      requestTime: "30/Nov/2026:02:10:45 +0000",
      httpMethod: "GET",
      resourcePath: "/accounts/{accountId}",
      path: "/prod/accounts/123",
      status: "403",
      protocol: "HTTP/1.1",
      responseLength: "42",
      domainName: "abc123.execute-api.ap-southeast-2.amazonaws.com",
      responseType: "MISSING_AUTHENTICATION_TOKEN",
    };
    expect(call("aws", rest)).toMatchObject({
      time: new Date("2026-11-30T02:10:45Z"),
      host: "abc123.execute-api.ap-southeast-2.amazonaws.com",
      route: "/accounts/{accountId}",
      path: "/prod/accounts/123",
      status: 403,
      // API Gateway answers a missing token with 403; the response type says it was authentication.
      outcome: "authn_failure",
      principal: "",
      eventId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    });
    const lines = [rest, { ...rest, requestId: "second", status: "200", responseType: "-" }]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const firehose = {
      requestId: "ed4acda5-034f-9f42-bba1-f29aea6d7d8f",
      timestamp: 1764468645123,
      records: [{ data: Buffer.from(lines).toString("base64") }, { data: "not base64 json" }],
    };
    const readings = read("aws", firehose);
    expect(readings.map((r) => (r.ok === true ? r.call.outcome : r.ok))).toEqual(["authn_failure", "success", false]);
  });

  it("Traefik: the JSON access log's documented field names", () => {
    // https://doc.traefik.io/traefik/observe/logs-and-access-logs/ (accessLog.format: json; the fields list).
    expect(
      call("traefik", {
        ClientAddr: "10.1.2.3:53412",
        ClientHost: "10.1.2.3",
        ClientPort: "53412",
        ClientUsername: "-",
        DownstreamContentSize: 19,
        DownstreamStatus: 401,
        Duration: 1234567,
        OriginStatus: 401,
        RequestHost: "orders.internal.example",
        RequestMethod: "POST",
        RequestPath: "/orders?x=1",
        RequestProtocol: "HTTP/1.1",
        RouterName: "orders@file",
        ServiceName: "orders@file",
        StartUTC: "2026-11-30T02:10:45.123456789Z",
        level: "info",
        msg: "",
        time: "2026-11-30T02:10:45Z",
      }),
    ).toMatchObject({
      host: "orders.internal.example",
      path: "/orders",
      gatewayRoute: "orders@file",
      outcome: "authn_failure",
      principal: "",
      sourceIp: "10.1.2.3",
    });
  });

  it("OpenTelemetry: OTLP/JSON log records and server spans through the HTTP semantic conventions", () => {
    // https://github.com/open-telemetry/opentelemetry-proto/tree/main/examples (logs.json, trace.json) and
    // https://opentelemetry.io/docs/specs/semconv/http/http-spans/ — int64 values are strings in OTLP/JSON.
    const attr = (key: string, value: string | number) => ({
      key,
      value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value },
    });
    const logs = {
      resourceLogs: [
        {
          resource: { attributes: [attr("service.name", "orders-gateway")] },
          scopeLogs: [
            {
              scope: { name: "access-log" },
              logRecords: [
                {
                  timeUnixNano: "1764468645123000000",
                  observedTimeUnixNano: "1764468645200000000",
                  severityNumber: 9,
                  body: { stringValue: "POST /orders 403" },
                  attributes: [
                    attr("http.request.method", "POST"),
                    attr("url.path", "/orders"),
                    attr("server.address", "orders.internal.example"),
                    attr("http.response.status_code", 403),
                    attr("client.address", "10.9.8.7"),
                    attr("user.id", "alice"),
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    expect(call("otlp", logs)).toMatchObject({
      time: new Date("2025-11-30T02:10:45.123Z"),
      method: "POST",
      status: 403,
      outcome: "authz_denied",
      principal: "alice",
      sourceIp: "10.9.8.7",
      gatewayRoute: "orders-gateway",
    });
    const spans = (kind: number) => ({
      resourceSpans: [
        {
          resource: { attributes: [attr("service.name", "records")] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "5b8efff798038103d269b633813fc60c",
                  spanId: "eee19b7ec3c1b174",
                  name: "GET /records/{id}",
                  kind,
                  startTimeUnixNano: "1764468645123000000",
                  endTimeUnixNano: "1764468645133000000",
                  attributes: [
                    attr("http.request.method", "GET"),
                    attr("http.route", "/records/{id}"),
                    attr("url.path", "/records/42"),
                    attr("http.response.status_code", 200),
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(call("otlp", spans(2))).toMatchObject({
      route: "/records/{id}",
      path: "/records/42",
      outcome: "success",
      eventId: "5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174",
    });
    // A client span (kind 3) is the same call seen from the caller: skipped, not refused.
    expect(read("otlp", spans(3))).toEqual([{ ok: "skip" }]);
  });

  it("says why a record cannot be read: hostile text, no time, a future time, not an object", () => {
    const good = { time: "2026-11-30T02:10:45Z", request_method: "GET", uri: "/x" };
    const reasons = [
      { ...good, uri: "/a\u0000b" },
      { ...good, uri: "/a\uD800b" },
      { ...good, client_id: "admin\u202Egpj.exe" },
      { ...good, time: "" },
      { ...good, time: "yesterday" },
      { ...good, time: "2026-12-30T00:00:00Z" },
      { ...good, request_method: "=cmd|' /C calc'!A0" },
      { ...good, uri: "" },
      "a string",
      null,
    ].map((r) => {
      const reading = readRecord("nginx", r, NOW);
      return reading.ok === false ? reading.reason : "read";
    });
    expect(reasons).toEqual([
      "path contains a NUL character",
      "path contains an invalid character (a lone UTF-16 surrogate)",
      expect.stringMatching(/^clientId contains a bidirectional control character/),
      "no time",
      "unreadable time “yesterday”",
      "time is in the future",
      "the request method is not an HTTP method",
      "no path, route or gateway route",
      "not a JSON object",
      "not a JSON object",
    ]);
    // Long values are cut to their column, deeply nested junk is ignored, HTML stays text.
    const long = call("nginx", { ...good, uri: `/${"a".repeat(5000)}`, host: "<b>x</b>", extra: deep(5000) });
    expect(long.path).toHaveLength(500);
    expect(long.host).toBe("<b>x</b>");
  });

  it("a sender cannot mark its own record unreadable and choose the reason an administrator is shown", () => {
    const forged = { time: "2026-11-30T02:10:45Z", request_method: "GET", uri: "/x", __unreadable: "call 555-0100" };
    expect(readRecord("nginx", forged, NOW)).toMatchObject({ ok: true, call: { path: "/x" } });
    expect(readRecord("nginx", { __unreadable: "call 555-0100", __text: "x" }, NOW)).toMatchObject({ ok: false });
    expect(readRecord("nginx", { __unreadable: "call 555-0100" }, NOW)).not.toMatchObject({ reason: "call 555-0100" });
    expect(readRecord("nginx", unreadable("line 3 is not valid JSON", "{"), NOW)).toEqual({
      ok: false,
      reason: "line 3 is not valid JSON",
    });
  });
});

function deep(levels: number): unknown {
  let v: unknown = "x";
  for (let i = 0; i < levels; i++) v = { v };
  return v;
}

describe("times no date can hold", () => {
  it("a number of seconds beyond JavaScript's dates is unreadable, not a crash", () => {
    for (const msec of ["99999999999999999999", "1e400"]) {
      const [reading] = read("nginx", { msec, request_method: "GET", uri: "/x" });
      expect(reading).toMatchObject({ ok: false });
    }
  });
});
