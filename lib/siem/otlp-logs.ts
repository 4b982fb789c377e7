// The audit log as OpenTelemetry log records, for a SIEM or collector that takes OTLP/HTTP (the
// OpenTelemetry Collector, Elastic, Grafana, Splunk's and most vendors' agents): one record per entry,
// serialised by the OpenTelemetry SDK's own OTLP serialisers (protobuf by default, or JSON). The record's
// body is the entry's stored columns as JSON (everything its hash covers), and its attributes carry the
// sequence number, the hash and the previous hash, so the receiving side can check the chain as it does
// with syslog.
//
// The request is sent here rather than by the SDK's exporter, because the forwarder's cursor may move only
// when the collector took every record: the exporter counts any 2xx as success (also one whose
// partial_success rejected records, or a page from something that is not a collector), retries on its own
// schedule, and reads OTEL_EXPORTER_OTLP_* settings (headers, certificates) meant for other backends.
import http from "node:http";
import https from "node:https";
import os from "node:os";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { JsonLogsSerializer, ProtobufLogsSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from "@opentelemetry/sdk-logs";
import { alertsRaised, type ForwardedCheckpoint, type ForwardedEntry } from "@/lib/siem/records";

export type OtlpEncoding = "protobuf" | "json";
export type OtlpTarget = {
  url: string;
  encoding: OtlpEncoding;
  ca?: string;
  /** Extra request headers (an API key or bearer token the collector wants). */
  headers?: Record<string, string>;
  /** Requests are kept under this many bytes: a batch that would be larger goes as several, in order. */
  maxBytes: number;
};

/** The entries as the SDK's log records (what its serialisers take). */
export function auditLogRecords(
  entries: ForwardedEntry[],
  options: { version: string; checkpoints: Map<number, ForwardedCheckpoint> },
): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({
      "service.name": "apiledger",
      "service.version": options.version,
      "host.name": os.hostname(),
    }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger("apiledger.audit", options.version);
  for (const entry of entries) {
    const warn = /refused|tamper|failed/.test(entry.action) || alertsRaised(entry) > 0;
    const checkpoint = options.checkpoints.get(entry.seq);
    logger.emit({
      timestamp: entry.at,
      severityNumber: warn ? SeverityNumber.WARN : SeverityNumber.INFO,
      severityText: warn ? "WARN" : "INFO",
      eventName: entry.action,
      body: JSON.stringify({ ...entry, at: entry.at.toISOString() }),
      attributes: {
        "apiledger.audit.seq": entry.seq,
        "apiledger.audit.action": entry.action,
        "apiledger.audit.actor": entry.actorEmail,
        "apiledger.audit.target": `${entry.targetType}/${entry.targetId}`,
        "apiledger.audit.hash": entry.hash,
        "apiledger.audit.prev_hash": entry.prevHash,
        ...(entry.ip ? { "client.address": entry.ip } : {}),
        ...(alertsRaised(entry) ? { "apiledger.alerts_raised": alertsRaised(entry) } : {}),
        // The signed text as signed, trailing newline included.
        ...(checkpoint
          ? { "apiledger.checkpoint.text": checkpoint.text, "apiledger.checkpoint.signature": checkpoint.signature }
          : {}),
      },
    });
  }
  const records = [...memory.getFinishedLogRecords()];
  void provider.shutdown();
  return records;
}

const serializer = (encoding: OtlpEncoding) => (encoding === "json" ? JsonLogsSerializer : ProtobufLogsSerializer);
const contentType = (encoding: OtlpEncoding) => (encoding === "json" ? "application/json" : "application/x-protobuf");

/**
 * Sends the records, in order, in as many requests as keep each under `maxBytes`; resolves once the
 * collector took every record of every request, else rejects (and the caller's cursor stays).
 */
export async function exportOtlpLogs(
  target: OtlpTarget,
  records: ReadableLogRecord[],
  timeoutMs: number,
): Promise<void> {
  const body = serializer(target.encoding).serializeRequest(records);
  if (!body) throw new Error("the audit entries could not be serialised as OTLP");
  if (body.byteLength > target.maxBytes && records.length > 1) {
    const half = Math.ceil(records.length / 2);
    await exportOtlpLogs(target, records.slice(0, half), timeoutMs);
    await exportOtlpLogs(target, records.slice(half), timeoutMs);
    return;
  }
  const answer = await post(target, body, timeoutMs);
  const where = `the OTLP collector ${new URL(target.url).host}`;
  if (answer.status < 200 || answer.status > 299)
    throw new Error(
      `${where} answered ${answer.status}${answer.status === 413 ? " (request too large: lower APILEDGER_SIEM_OTLP_MAX_BYTES)" : ""}`,
    );
  // A collector answers in the encoding it was sent; anything else is not a collector (a proxy's page).
  if (!answer.type.startsWith(contentType(target.encoding)))
    throw new Error(
      `${where} answered ${answer.status} with ${answer.type || "no content type"}, not an OTLP response`,
    );
  let rejected = 0;
  let message = "";
  if (answer.body.byteLength) {
    try {
      const response = serializer(target.encoding).deserializeResponse(answer.body);
      rejected = Number(response.partialSuccess?.rejectedLogRecords ?? 0);
      message = response.partialSuccess?.errorMessage ?? "";
    } catch {
      throw new Error(`${where} answered ${answer.status} with a body that is not an OTLP response`);
    }
  }
  if (rejected > 0) throw new Error(`${where} rejected ${rejected} of ${records.length} record(s): ${message}`);
}

/** One POST with an overall deadline (not only an idle timeout); no connection is kept after it. */
function post(
  target: OtlpTarget,
  body: Uint8Array,
  timeoutMs: number,
): Promise<{ status: number; type: string; body: Uint8Array }> {
  const url = new URL(target.url);
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: false,
        ...(target.ca ? { ca: target.ca } : {}),
        headers: {
          ...target.headers,
          "content-type": contentType(target.encoding),
          "content-length": body.byteLength,
          "user-agent": "ApiLedger-SIEM-forwarder",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          // A collector's answer is small; a large one is not a collector's.
          if (size > 1024 * 1024) req.destroy(new Error("the OTLP collector's answer is too large"));
          else chunks.push(c);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      },
    );
    const deadline = setTimeout(
      () => req.destroy(new Error(`the OTLP collector ${url.host} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on("error", (error) =>
      reject(new Error(`the OTLP collector ${url.host} was not reached: ${error.message}`, { cause: error })),
    );
    req.on("close", () => clearTimeout(deadline));
    req.end(body);
  });
}
