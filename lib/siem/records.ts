// What the SIEM receives for each audit-log entry (lib/siem/forwarder.ts), in one of two payloads:
//  - RFC 5424 (default): structured data [audit@32473 seq at action actor target hash prev], plus
//    [alert@32473 raised] for a batch of events that raised failed-authentication alerts (severity warning)
//    and [checkpoint@32473 …] with the signed text and signature for a checkpoint's own entry; the message is
//    the entry's stored columns as JSON, everything its hash covers, so the SIEM side can recompute each
//    hash and check that every entry's prev is the hash before it.
//  - CEF (ArcSight's Common Event Format, read by most SIEMs): the same fields as CEF extensions
//    (externalId = seq, cs1 = hash, cs2 = previous hash), inside the RFC 5424 message.
// Pure: the forwarder and the tests share it.
import { isIP } from "node:net";
import type { ChainedFields } from "@/lib/audit/chain";
import { formatSyslog, type StructuredData } from "@/lib/syslog/syslog";

/** An entry as stored: what its hash covers, its number and its hash. */
export type ForwardedEntry = ChainedFields & { seq: number; hash: string };
export type ForwardedCheckpoint = { text: string; signature: string };
export type SiemFormat = "rfc5424" | "cef";

/** Failed-authentication alerts a batch of events raised (its entry's details say how many). */
export function alertsRaised(entry: Pick<ForwardedEntry, "diff">): number {
  try {
    const details = JSON.parse(entry.diff) as { alerts?: unknown };
    return typeof details.alerts === "number" && details.alerts > 0 ? details.alerts : 0;
  } catch {
    return 0;
  }
}

/** SIEM-side severity: refusals, tamper and failed-authentication alerts warn; everything else is a notice. */
function severityOf(entry: Pick<ForwardedEntry, "action" | "diff">): number {
  return /refused|tamper|failed/.test(entry.action) || alertsRaised(entry) ? 4 : 5;
}

const cefHeader = (v: string) => v.replace(/[\\|]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, " ");
const cefValue = (v: string) =>
  v
    .replace(/[\\=]/g, (c) => `\\${c}`)
    .replace(/\r/g, "\\r")
    .replace(/\n/g, "\\n");

export function cefLine(entry: ForwardedEntry, version: string): string {
  // CEF severity is 0–10: 3 for a notice, 7 for a warning.
  const severity = severityOf(entry) === 4 ? 7 : 3;
  const extensions: [string, string][] = [
    ["rt", String(entry.at.getTime())],
    ["externalId", String(entry.seq)],
    ["act", entry.action],
    ["suser", entry.actorEmail],
    ...(isIP(entry.ip) ? ([["src", entry.ip]] as [string, string][]) : []),
    ["cs1Label", "hash"],
    ["cs1", entry.hash],
    ["cs2Label", "prevHash"],
    ["cs2", entry.prevHash],
    ["cs3Label", "target"],
    ["cs3", `${entry.targetType}/${entry.targetId}`],
    ...(alertsRaised(entry)
      ? ([
          ["cn1Label", "alertsRaised"],
          ["cn1", String(alertsRaised(entry))],
        ] as [string, string][])
      : []),
    ["msg", entry.summary],
  ];
  return `CEF:0|ApiLedger|ApiLedger|${cefHeader(version)}|${cefHeader(entry.action)}|${cefHeader(entry.summary || entry.action)}|${severity}|${extensions
    .map(([k, v]) => `${k}=${cefValue(v)}`)
    .join(" ")}`;
}

/** One syslog message (without its octet count) for an entry. */
export function entryRecord(
  entry: ForwardedEntry,
  options: { format: SiemFormat; version: string; checkpoint?: ForwardedCheckpoint | null; hostname?: string },
): string {
  const severity = severityOf(entry);
  if (options.format === "cef")
    return formatSyslog(
      { msgId: "audit", severity, at: entry.at, text: cefLine(entry, options.version) },
      options.hostname,
    );
  const sd: StructuredData[] = [
    {
      id: "audit@32473",
      params: {
        seq: String(entry.seq),
        at: entry.at.toISOString(),
        action: entry.action,
        actor: entry.actorEmail,
        target: `${entry.targetType}/${entry.targetId}`,
        hash: entry.hash,
        prev: entry.prevHash,
      },
    },
  ];
  if (alertsRaised(entry)) sd.push({ id: "alert@32473", params: { raised: String(alertsRaised(entry)) } });
  if (options.checkpoint)
    sd.push({
      id: "checkpoint@32473",
      params: { text: options.checkpoint.text.trimEnd(), sig: options.checkpoint.signature },
    });
  const columns = { ...entry, at: entry.at.toISOString() };
  return formatSyslog(
    { msgId: "audit", severity, at: entry.at, structuredData: sd, text: JSON.stringify(columns) },
    options.hostname,
  );
}
