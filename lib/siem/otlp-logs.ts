// The audit log as OpenTelemetry log records, for a SIEM or collector that takes OTLP/HTTP (the
// OpenTelemetry Collector, Elastic, Grafana, Splunk's and most vendors' agents): one record per entry,
// sent by the OpenTelemetry SDK's own OTLP/HTTP exporter (protobuf by default, or JSON) and acknowledged
// by the collector's 2xx answer before the forwarder's cursor moves. The record's body is the entry's
// stored columns as JSON (everything its hash covers), and its attributes carry the sequence number, the
// hash and the previous hash, so the receiving side can check the chain as it does with syslog.
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPLogExporter as JsonExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtobufExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from "@opentelemetry/sdk-logs";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { alertsRaised, type ForwardedCheckpoint, type ForwardedEntry } from "@/lib/siem/records";

export type OtlpEncoding = "protobuf" | "json";
export type OtlpTarget = { url: string; encoding: OtlpEncoding; ca?: string };

/** The entries as the SDK's log records (what its exporters serialise). */
export function auditLogRecords(
  entries: ForwardedEntry[],
  options: { version: string; checkpoints: Map<number, ForwardedCheckpoint> },
): ReadableLogRecord[] {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "apiledger", "service.version": options.version }),
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
        ...(checkpoint
          ? {
              "apiledger.checkpoint.text": checkpoint.text.trimEnd(),
              "apiledger.checkpoint.signature": checkpoint.signature,
            }
          : {}),
      },
    });
  }
  const records = memory.getFinishedLogRecords();
  void provider.shutdown();
  return [...records];
}

/** Sends the records in one export request; resolves once the collector answered 2xx, else rejects. */
export async function exportOtlpLogs(
  target: OtlpTarget,
  records: ReadableLogRecord[],
  timeoutMs: number,
): Promise<void> {
  const config = {
    url: target.url,
    timeoutMillis: timeoutMs,
    ...(target.ca ? { httpAgentOptions: { ca: target.ca } } : {}),
  };
  const exporter = target.encoding === "json" ? new JsonExporter(config) : new ProtobufExporter(config);
  try {
    await new Promise<void>((resolve, reject) =>
      exporter.export(records, (result) =>
        result.code === ExportResultCode.SUCCESS
          ? resolve()
          : reject(
              new Error(
                `the OTLP collector ${new URL(target.url).host} did not take the batch: ${result.error?.message ?? "failed"}`,
              ),
            ),
      ),
    );
  } finally {
    await exporter.shutdown().catch(() => {});
  }
}
