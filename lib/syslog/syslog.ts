// A small RFC 5424 syslog sender, for sending audit checkpoints to the organisation's syslog / SIEM
// (where the database administrator cannot rewrite them). APILEDGER_SYSLOG_URL names the collector:
//   syslog://host:514          UDP (RFC 5426), one message per datagram
//   syslog+tcp://host:601      TCP (RFC 6587 octet counting: "<length> <message>")
// Messages are facility 13 ("log audit"), severity 5 (notice) unless told otherwise, ASCII-safe
// structured data escaped as RFC 5424 §6.3.3 requires.
import dgram from "node:dgram";
import net from "node:net";
import os from "node:os";

export type SyslogTarget = { transport: "udp" | "tcp"; host: string; port: number };
export type StructuredData = { id: string; params: Record<string, string> };
export type SyslogMessage = {
  msgId: string;
  /** One SD-ELEMENT, or several in order. */
  structuredData?: StructuredData | StructuredData[];
  text: string;
  severity?: number;
  at?: Date;
};

const FACILITY_LOG_AUDIT = 13;

export function parseSyslogUrl(value: string | undefined): SyslogTarget | null {
  if (!value?.trim()) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`APILEDGER_SYSLOG_URL is not a URL: ${value}`);
  }
  const transport =
    url.protocol === "syslog:" || url.protocol === "syslog+udp:"
      ? "udp"
      : url.protocol === "syslog+tcp:"
        ? "tcp"
        : null;
  if (!transport || !url.hostname)
    throw new Error("APILEDGER_SYSLOG_URL must look like syslog://host:514 (UDP) or syslog+tcp://host:601 (TCP).");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return { transport, host, port: url.port ? Number(url.port) : transport === "udp" ? 514 : 601 };
}

const sdValue = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);
/** PRINTUSASCII except = SP ] " (RFC 5424 SD-NAME), at most 32 characters. */
const sdName = (v: string) => v.replace(/[^\x21-\x7e]|[= \]"]/g, "_").slice(0, 32);

export function formatSyslog(message: SyslogMessage, hostname = os.hostname()): string {
  const pri = FACILITY_LOG_AUDIT * 8 + (message.severity ?? 5);
  const elements = message.structuredData
    ? Array.isArray(message.structuredData)
      ? message.structuredData
      : [message.structuredData]
    : [];
  const sd = elements.length
    ? elements
        .map(
          (e) =>
            `[${e.id}${Object.entries(e.params)
              .map(([k, v]) => ` ${sdName(k)}="${sdValue(v)}"`)
              .join("")}]`,
        )
        .join("")
    : "-";
  const host = sdName(hostname || "-").slice(0, 255) || "-";
  return `<${pri}>1 ${(message.at ?? new Date()).toISOString()} ${host} apiledger ${process.pid} ${sdName(message.msgId)} ${sd} ${message.text}`;
}

/** Sends one message; rejects on a network error or after `timeoutMs`. */
export function sendSyslog(target: SyslogTarget, message: SyslogMessage, timeoutMs = 5000): Promise<void> {
  const payload = Buffer.from(formatSyslog(message), "utf8");
  if (target.transport === "udp") {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket(net.isIPv6(target.host) ? "udp6" : "udp4");
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`syslog: no answer from ${target.host}:${target.port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.send(payload, target.port, target.host, (error) => {
        clearTimeout(timer);
        socket.close();
        if (error) reject(error);
        else resolve();
      });
    });
  }
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: target.host, port: target.port });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(
        new Error(`syslog: ${target.host}:${target.port} did not accept the message within ${timeoutMs} ms`),
      ),
    );
    socket.on("error", reject);
    socket.on("connect", () => {
      socket.end(Buffer.concat([Buffer.from(`${payload.length} `), payload]), () => resolve());
    });
  });
}
