// Issue 17's proof with real OpenTelemetry clients: the official OpenTelemetry JS SDK's OTLP/HTTP
// exporters (logs and traces, protobuf and JSON) send to a started ApiLedger on each database, configured
// as an operator configures them — the OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT, the Collector's
// otlphttp `endpoint`) to which the exporter adds /v1/logs or /v1/traces, the token in a header, gzip.
// What ApiLedger answers is read with the SDK's own response decoders.
import { gzipSync } from "node:zlib";
import { SpanKind, diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { isPostgresAvailable } from "@/lib/testing/test-db";
import { db, disconnectDb } from "@/lib/db/client";
import { signedInActor } from "@/lib/testing/actors";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { sdkLogRecords, sdkSpans } from "@/lib/testing/otlp";

type ExportResult = { code: number; error?: Error };
const SUCCESS = 0;

const logRecords = sdkLogRecords;
/** A server span and a client span of one call: the client span is the same call seen by the caller. */
const spans = (route: string, status: number) =>
  sdkSpans(
    [{ route, path: route.replace("{id}", "42"), status, client: "reporting" }],
    [SpanKind.SERVER, SpanKind.CLIENT],
  );

const exported = (exporter: { export: (items: never[], done: (r: ExportResult) => void) => void }, items: unknown[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(items as never[], resolve));

/** The exporter's complaints (it reports through `diag`), to see what it was told. */
const complaints: string[] = [];
const note = (...args: unknown[]) => void complaints.push(args.map(String).join(" "));
const logger: DiagLogger = {
  error: note,
  warn: note,
  info: note,
  debug: () => {},
  verbose: () => {},
};

for (const [provider, port] of [
  ["sqlite", 3188],
  ["postgres", 3189],
] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `the OpenTelemetry SDK's OTLP/HTTP exporters sending to a started server on ${provider}`,
    () => {
      let app: StartedApp;
      let token: string, strictToken: string, nginxToken: string, apiId: string;
      const endpoint = () => `${app.url}/api/v1/otlp`;
      const headers = (secret: string) => ({ Authorization: `Bearer ${secret}` });

      beforeAll(async () => {
        // One batch at a time, so that exports sent at once meet the back-pressure.
        // A body must arrive within 3 seconds, so that a trickling upload meets its deadline in the test.
        app = await startAppServer({
          provider,
          port,
          env: { APILEDGER_TRAFFIC_CONCURRENCY: "1", APILEDGER_BODY_TIMEOUT_SECONDS: "3" },
        });
        await disconnectDb();
        process.env.DATABASE_URL = app.databaseUrl;
        process.env.APILEDGER_DATA_DIR = app.dataDir;
        diag.setLogger(logger, DiagLogLevel.INFO);
        const api = await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } });
        apiId = api.id;
        const actor = { actor: await signedInActor("admin@example.com") };
        const source = (name: string, profile: "otlp" | "nginx", lenient: boolean) =>
          createTrafficSource(actor, { name, profile, lenient, teamId: api.teamId!, apiId });
        token = (await source("Collector", "otlp", true)).secret;
        strictToken = (await source("Strict collector", "otlp", false)).secret;
        nginxToken = (await source("Edge NGINX", "nginx", true)).secret;
      });
      afterAll(async () => {
        diag.disable();
        await app?.stop();
      });

      const events = (clientId: string) =>
        db.authEvent.findMany({ where: { apiId, clientId }, select: { outcome: true, method: true, route: true } });

      it("logs in protobuf, gzip, configured by OTEL_EXPORTER_OTLP_* as an operator sets them: calls become events, 401 and 403 failures", async () => {
        process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint();
        process.env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer%20${token}`;
        process.env.OTEL_EXPORTER_OTLP_COMPRESSION = "gzip";
        const exporter = new ProtoLogExporter();
        delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
        delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
        delete process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
        const records = logRecords([
          { status: 200, client: "gl-proto" },
          { status: 401, client: "gl-proto" },
          { status: 403, client: "gl-proto", method: "POST" },
        ]);
        expect(await exported(exporter, records)).toEqual({ code: SUCCESS });
        expect((await events("gl-proto")).map((e) => `${e.method} ${e.outcome}`).sort()).toEqual([
          "GET authn_failure",
          "GET success",
          "POST authz_denied",
        ]);
        // The exporter retries what failed; the same records sent again are recognised and not stored twice.
        expect(await exported(exporter, records)).toEqual({ code: SUCCESS });
        expect(await events("gl-proto")).toHaveLength(3);
        await exporter.shutdown();
      });

      it("logs in JSON: a record without a method is rejected as partial success and kept in the quarantine", async () => {
        const exporter = new JsonLogExporter({ url: `${endpoint()}/v1/logs`, headers: headers(token) });
        const records = logRecords([
          { status: 200, client: "gl-json" },
          { status: 200, client: "gl-json", method: "" },
        ]);
        complaints.length = 0;
        expect(await exported(exporter, records)).toEqual({ code: SUCCESS });
        expect(await events("gl-json")).toHaveLength(1);
        // The SDK reports a partial success through diag with the count of records rejected.
        expect(complaints.join("\n")).toMatch(/partial success[\s\S]*1/i);
        const quarantined = await db.quarantinedRecord.findMany({ where: { reason: "no request method" } });
        expect(quarantined).toHaveLength(1);
        await exporter.shutdown();
      });

      it("the partial-success answer in protobuf, as the SDK's own decoder reads it", async () => {
        const body = ProtobufLogsSerializer.serializeRequest(
          logRecords([
            { status: 200, client: "gl-raw" },
            { status: 200, client: "gl-raw", method: "" },
            { status: 200, client: "gl-raw", method: "" },
          ]),
        )!;
        const response = await fetch(`${endpoint()}/v1/logs`, {
          method: "POST",
          headers: {
            ...headers(token),
            "Content-Type": "application/x-protobuf",
            "Content-Encoding": "gzip",
          },
          body: gzipSync(body),
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("application/x-protobuf");
        const answer = ProtobufLogsSerializer.deserializeResponse(new Uint8Array(await response.arrayBuffer()));
        expect(Number(answer.partialSuccess?.rejectedLogRecords)).toBe(2);
        expect(answer.partialSuccess?.errorMessage).toMatch(/2 of 3 log records could not be read/);
      });

      it("traces in protobuf and JSON: the server span becomes an event on its route, the client span is not a second call", async () => {
        const proto = new ProtoTraceExporter({ url: `${endpoint()}/v1/traces`, headers: headers(token) });
        const json = new JsonTraceExporter({
          url: `${endpoint()}/v1/traces`,
          headers: headers(token),
          compression: "gzip" as never,
        });
        expect(await exported(proto, spans("/v1/ledger/{id}", 200))).toEqual({ code: SUCCESS });
        expect(await exported(json, spans("/v1/accounts/{id}", 403))).toEqual({ code: SUCCESS });
        expect((await events("reporting")).map((e) => `${e.route} ${e.outcome}`).sort()).toEqual([
          "/v1/accounts/{id} authz_denied",
          "/v1/ledger/{id} success",
        ]);
        const raw = await fetch(`${endpoint()}/v1/traces`, {
          method: "POST",
          headers: { ...headers(token), "Content-Type": "application/x-protobuf" },
          body: new Uint8Array(ProtobufTraceSerializer.serializeRequest(spans("/v1/other/{id}", 200))!),
        });
        const answer = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await raw.arrayBuffer()));
        expect(answer.partialSuccess?.rejectedSpans ?? 0).toBe(0);
        await proto.shutdown();
        await json.shutdown();
      });

      it("refusals are google.rpc.Status in the request's encoding, and an exporter does not retry them", async () => {
        const body = ProtobufLogsSerializer.serializeRequest(logRecords([{ status: 200, client: "refused" }]))!;
        const post = (secret: string, payload: Uint8Array, path = "/v1/logs") =>
          fetch(`${endpoint()}${path}`, {
            method: "POST",
            headers: { ...headers(secret), "Content-Type": "application/x-protobuf" },
            body: new Uint8Array(payload),
          });
        const status = async (response: Response) => {
          // google.rpc.Status: field 1 code (varint), field 2 message (string).
          const bytes = new Uint8Array(await response.arrayBuffer());
          expect(bytes[0]).toBe(0x08);
          return { code: bytes[1], message: Buffer.from(bytes).toString("utf8") };
        };
        const wrongToken = await post("apl_not-a-token", body);
        expect(wrongToken.status).toBe(401);
        expect(wrongToken.headers.get("content-type")).toBe("application/x-protobuf");
        expect((await status(wrongToken)).code).toBe(16);
        // A source registered for NGINX logs is told which format it was registered for.
        const nginx = await post(nginxToken, body);
        expect(nginx.status).toBe(403);
        expect((await status(nginx)).message).toMatch(/NGINX JSON access log/);
        // Bytes that are not an export request.
        const garbage = await post(token, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
        expect(garbage.status).toBe(400);
        expect((await status(garbage)).code).toBe(3);
        // A strict source refuses the whole batch when one record is bad, and the SDK's exporter gives up
        // at once (a 400 is not retried), reporting the failure.
        const strict = new ProtoLogExporter({ url: `${endpoint()}/v1/logs`, headers: headers(strictToken) });
        const result = await exported(strict, logRecords([{ status: 200, client: "strict", method: "" }]));
        expect(result.code).not.toBe(SUCCESS);
        expect(await events("strict")).toHaveLength(0);
        await strict.shutdown();
        // JSON requests get JSON Status.
        const json = await fetch(`${endpoint()}/v1/logs`, {
          method: "POST",
          headers: { ...headers(nginxToken), "Content-Type": "application/json" },
          body: "{}",
        });
        expect(json.status).toBe(403);
        expect(await json.json()).toEqual({ code: 7, message: expect.stringMatching(/OpenTelemetry format/) });
      });

      it("back-pressure: exports sent at once beyond what the server takes are answered 503 with Retry-After, and the SDK's retries land every record", async () => {
        const exporter = new ProtoLogExporter({
          url: `${endpoint()}/v1/logs`,
          headers: headers(token),
          timeoutMillis: 30_000,
        });
        const batches = Array.from({ length: 5 }, (_, b) =>
          logRecords(Array.from({ length: 2000 }, () => ({ status: 200, client: `busy-${b}` }))),
        );
        const started = new Date();
        const results = await Promise.all(batches.map((batch) => exported(exporter, batch)));
        expect(results.map((r) => r.code)).toEqual(batches.map(() => SUCCESS));
        const stored = await db.authEvent.count({ where: { apiId, clientId: { startsWith: "busy-" } } });
        expect(stored).toBe(10_000);
        // The call log is written in batches: it shows the refusals once it has been written.
        await expect
          .poll(
            () => db.apiCallLog.count({ where: { route: "/api/v1/otlp/v1/logs", status: 503, at: { gte: started } } }),
            {
              timeout: 15_000,
            },
          )
          .toBeGreaterThan(0);
        await exporter.shutdown();
      });

      it("a source trickling its upload holds no slot the others need: another's export lands meanwhile, and the trickle is refused (408) at its deadline", async () => {
        const { request } = await import("node:http");
        const url = new URL(`${endpoint()}/v1/logs`);
        const trickle = request(url, {
          method: "POST",
          headers: { ...headers(strictToken), "Content-Type": "application/json", "Content-Length": "1000000" },
        });
        const answered = new Promise<{ status: number; body: string; at: number }>((resolve, reject) => {
          trickle.on("response", (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body, at: Date.now() }));
          });
          trickle.on("error", reject);
        });
        trickle.write('{"resourceLogs": [');
        const timer = setInterval(() => trickle.write(" "), 500);
        await new Promise((r) => setTimeout(r, 300));
        const exporter = new ProtoLogExporter({ url: url.href, headers: headers(token), timeoutMillis: 10_000 });
        const result = await exported(exporter, logRecords([{ status: 200, client: "beside-a-trickle" }]));
        const exportedAt = Date.now();
        expect(result.code).toBe(SUCCESS);
        expect(await events("beside-a-trickle")).toHaveLength(1);
        const refused = await answered;
        clearInterval(timer);
        trickle.destroy();
        expect(refused.at).toBeGreaterThan(exportedAt);
        expect(refused.status).toBe(408);
        expect(JSON.parse(refused.body)).toEqual({ code: 4, message: expect.stringMatching(/within 3 seconds/) });
        await exporter.shutdown();
      });

      it("an export of resources without records is taken (200, an empty answer), not refused", async () => {
        const response = await fetch(`${endpoint()}/v1/logs`, {
          method: "POST",
          headers: { ...headers(token), "Content-Type": "application/json" },
          body: JSON.stringify({ resourceLogs: [{ resource: {}, scopeLogs: [{ logRecords: [] }] }] }),
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({});
      });
    },
  );
}
