// An OTLP/HTTP logs receiver for the SIEM forwarder's tests: a real HTTP(S) server at /v1/logs that takes
// ExportLogsServiceRequest in protobuf (decoded with protobufjs from the opentelemetry-proto message
// definitions below: the fields the forwarder sends) or JSON, answers as a collector does, and can be made
// to refuse requests (503) or be stopped and started again on the same port.
import http from "node:http";
import https from "node:https";
import fs from "node:fs";
import { Root } from "protobufjs/light";
import type { TestCertificates } from "@/lib/testing/test-certs";

const ROOT = Root.fromJSON({
  nested: {
    AnyValue: {
      oneofs: { value: { oneof: ["stringValue", "boolValue", "intValue", "doubleValue"] } },
      fields: {
        stringValue: { type: "string", id: 1 },
        boolValue: { type: "bool", id: 2 },
        intValue: { type: "int64", id: 3 },
        doubleValue: { type: "double", id: 4 },
      },
    },
    KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
    Resource: { fields: { attributes: { rule: "repeated", type: "KeyValue", id: 1 } } },
    Scope: { fields: { name: { type: "string", id: 1 }, version: { type: "string", id: 2 } } },
    LogRecord: {
      fields: {
        timeUnixNano: { type: "fixed64", id: 1 },
        severityNumber: { type: "int32", id: 2 },
        severityText: { type: "string", id: 3 },
        body: { type: "AnyValue", id: 5 },
        attributes: { rule: "repeated", type: "KeyValue", id: 6 },
        eventName: { type: "string", id: 12 },
      },
    },
    ScopeLogs: {
      fields: { scope: { type: "Scope", id: 1 }, logRecords: { rule: "repeated", type: "LogRecord", id: 2 } },
    },
    ResourceLogs: {
      fields: { resource: { type: "Resource", id: 1 }, scopeLogs: { rule: "repeated", type: "ScopeLogs", id: 2 } },
    },
    ExportLogsServiceRequest: { fields: { resourceLogs: { rule: "repeated", type: "ResourceLogs", id: 1 } } },
    ExportLogsPartialSuccess: {
      fields: { rejectedLogRecords: { type: "int64", id: 1 }, errorMessage: { type: "string", id: 2 } },
    },
    ExportLogsServiceResponse: { fields: { partialSuccess: { type: "ExportLogsPartialSuccess", id: 1 } } },
  },
});
const PROTO = ROOT.lookupType("ExportLogsServiceRequest");
const RESPONSE = ROOT.lookupType("ExportLogsServiceResponse");

export type ReceivedLog = {
  service: string;
  scope: string;
  timeUnixNano: string;
  severityText: string;
  eventName: string;
  body: string;
  attributes: Record<string, string | number | boolean>;
};

type Json = Record<string, unknown>;
const valueOf = (v: Json | undefined): string | number | boolean => {
  if (!v) return "";
  if ("stringValue" in v) return String(v.stringValue);
  if ("intValue" in v) return Number(v.intValue);
  if ("boolValue" in v) return Boolean(v.boolValue);
  return Number(v.doubleValue);
};
const attributes = (list: unknown) =>
  Object.fromEntries(((list as Json[] | undefined) ?? []).map((kv) => [String(kv.key), valueOf(kv.value as Json)]));

/** The records of a request, in the order sent (protobuf decoded to the same JSON shape as OTLP/JSON). */
function recordsOf(body: Buffer, contentType: string): ReceivedLog[] {
  const request = (
    contentType.includes("json")
      ? JSON.parse(body.toString("utf8"))
      : PROTO.toObject(PROTO.decode(body), { longs: String, defaults: false })
  ) as Json;
  const out: ReceivedLog[] = [];
  for (const rl of (request.resourceLogs as Json[]) ?? []) {
    const service = String(attributes((rl.resource as Json | undefined)?.attributes)["service.name"] ?? "");
    for (const sl of (rl.scopeLogs as Json[]) ?? [])
      for (const r of (sl.logRecords as Json[]) ?? [])
        out.push({
          service,
          scope: String((sl.scope as Json | undefined)?.name ?? ""),
          timeUnixNano: String(r.timeUnixNano ?? ""),
          severityText: String(r.severityText ?? ""),
          eventName: String(r.eventName ?? ""),
          body: String(valueOf(r.body as Json)),
          attributes: attributes(r.attributes),
        });
  }
  return out;
}

export type OtlpCollector = {
  port: number;
  records: ReceivedLog[];
  contentTypes: Set<string>;
  /** Each request's body size and headers, in order. */
  requests: { bytes: number; headers: http.IncomingHttpHeaders }[];
  /** The next `n` requests are answered 503 (a collector shedding load). */
  refuse: (n: number) => void;
  /**
   * How the next requests are answered: "ok"; "reject-one" (200 with partial_success rejecting one record,
   * which is then not kept); "not-a-collector" (200 with an HTML page, as a misrouted proxy answers).
   */
  answer: (mode: "ok" | "reject-one" | "not-a-collector") => void;
  stop: () => Promise<void>;
  start: () => Promise<void>;
};

export async function startOtlpCollector(tls?: TestCertificates): Promise<OtlpCollector> {
  const records: ReceivedLog[] = [];
  const contentTypes = new Set<string>();
  const requests: OtlpCollector["requests"] = [];
  let refusing = 0;
  let mode: "ok" | "reject-one" | "not-a-collector" = "ok";
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url !== "/v1/logs" || req.method !== "POST") return void res.writeHead(404).end();
      if (refusing > 0) {
        refusing--;
        return void res.writeHead(503, { "retry-after": "0" }).end();
      }
      const type = String(req.headers["content-type"] ?? "");
      const body = Buffer.concat(chunks);
      requests.push({ bytes: body.length, headers: req.headers });
      if (mode === "not-a-collector")
        return void res.writeHead(200, { "content-type": "text/html" }).end("<html>Welcome</html>");
      contentTypes.add(type);
      const got = recordsOf(body, type);
      const json = type.includes("json");
      res.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" });
      if (mode === "reject-one") {
        records.push(...got.slice(1));
        const partialSuccess = { rejectedLogRecords: 1, errorMessage: "record 1 too large" };
        return void res.end(
          json
            ? JSON.stringify({ partialSuccess: { ...partialSuccess, rejectedLogRecords: "1" } })
            : RESPONSE.encode(RESPONSE.fromObject({ partialSuccess })).finish(),
        );
      }
      records.push(...got);
      res.end(json ? "{}" : Buffer.alloc(0));
    });
  };
  let server: http.Server | https.Server;
  let port = 0;
  const start = async () => {
    server = tls
      ? https.createServer({ cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key) }, handler)
      : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  };
  await start();
  return {
    port,
    records,
    contentTypes,
    requests,
    refuse: (n) => (refusing = n),
    answer: (m) => (mode = m),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
    start,
  };
}
