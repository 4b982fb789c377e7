// Streams the audit log to the agency's SIEM (ISM-2015 for ApiLedger's own API): every entry, in sequence
// order, from a cursor kept in the database, as RFC 5424 syslog (or CEF inside it) over TCP or TLS with
// octet-counted framing (RFC 6587, RFC 5425), or as OpenTelemetry log records over OTLP/HTTP
// (lib/siem/otlp-logs.ts; there the collector's 2xx answer is the acknowledgement). Checkpoints travel with their own entry; failed-
// authentication alerts with the batch that raised them.
//
// At least once, no gaps: a batch goes out on a connection of its own, which the forwarder then closes
// and waits for the collector to close too. A collector closes its side only once it has read to the end
// of what was sent, so only then does the cursor move past the batch. A collector or forwarder that
// stops halfway leaves the cursor where it was, and the batch is sent again (a SIEM keys on seq).
//
// One forwarder per installation: on PostgreSQL the instance holding a session advisory lock forwards and
// the others wait their turn (a killed instance's lock goes with its connection); on SQLite the one box.
import { logger } from "@/lib/log/logger";
import fs from "node:fs";
import net from "node:net";
import tls from "node:tls";
import pg from "pg";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { databaseUrl, providerOf } from "@/lib/db/db-url";
import { entryRecord, type SiemFormat } from "@/lib/siem/records";
import { auditLogRecords, exportOtlpLogs, type OtlpEncoding } from "@/lib/siem/otlp-logs";
import { RelpIncomplete, sendRelp } from "@/lib/siem/relp";

export type SiemTarget = {
  transport: "tcp" | "tls" | "otlp";
  /** Syslog over RELP (on TCP or TLS): each message answered once the collector has queued it. */
  relp?: true;
  host: string;
  port: number;
  /** PEM certificates to trust for TLS instead of the system's (the agency's own CA). */
  ca?: string;
  /** Syslog: the largest message the collector keeps whole (APILEDGER_SIEM_MAX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
  /** Syslog over TLS: the forwarder's own certificate and key (PEM), for collectors that ask for one. */
  cert?: string;
  key?: string;
  /** Syslog's payload; for OTLP, the encoding ("protobuf" or "json"). */
  format: SiemFormat | OtlpEncoding;
  /** OTLP: the collector's logs endpoint, http(s)://host:4318/v1/logs. */
  url?: string;
  /** OTLP: headers from APILEDGER_SIEM_OTLP_HEADERS_FILE (an API key or token). */
  headers?: Record<string, string>;
  /** OTLP: the largest request body (APILEDGER_SIEM_OTLP_MAX_BYTES). */
  maxBytes?: number;
};

/** "Name: value" lines (blank lines and # comments skipped): header names as HTTP allows, values printable. */
function otlpHeaders(file: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [i, raw] of fs.readFileSync(file, "utf8").split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*([\x20-\x7e]*)$/.exec(line);
    if (!match)
      throw new Error(`APILEDGER_SIEM_OTLP_HEADERS_FILE line ${i + 1} is not "Name: value" in printable ASCII.`);
    headers[match[1]!.toLowerCase()] = match[2]!.trim();
  }
  return headers;
}

const CURSOR = "siem";
/** Plain syslog: the batches delivered in this long up to the last one are sent again after a failed delivery. */
const REWIND_MS = 5000;
/** rsyslog's limit as the README tells the collector to set it (maxMessageSize, imrelp maxDataSize "256k"). */
const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
const FORWARDER_LOCK = 7311210414;
const SYSTEM = { kind: "system" as const, id: null, email: "siem-forwarder@apiledger" };

const SYSLOG_SCHEMES: Record<string, Pick<SiemTarget, "transport" | "relp"> & { port: number }> = {
  "syslog+tcp:": { transport: "tcp", port: 601 },
  "syslog+tls:": { transport: "tls", port: 6514 },
  "syslog+relp:": { transport: "tcp", relp: true, port: 2514 },
  "syslog+relp+tls:": { transport: "tls", relp: true, port: 2514 },
};

/**
 * APILEDGER_SIEM_URL (syslog+tcp://, syslog+tls://, syslog+relp://, syslog+relp+tls://, otlp+http:// or
 * otlp+https://), APILEDGER_SIEM_CA_FILE,
 * APILEDGER_SIEM_FORMAT (rfc5424 or cef for syslog; protobuf or json for OTLP).
 */
export function siemTarget(env: Record<string, string | undefined> = process.env): SiemTarget | null {
  const value = env.APILEDGER_SIEM_URL?.trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`APILEDGER_SIEM_URL is not a URL: ${value}`);
  }
  const syslog = Object.hasOwn(SYSLOG_SCHEMES, url.protocol) ? SYSLOG_SCHEMES[url.protocol]! : null;
  const transport =
    syslog?.transport ?? (url.protocol === "otlp+http:" || url.protocol === "otlp+https:" ? "otlp" : null);
  if (!transport || !url.hostname || url.username || url.password)
    throw new Error(
      "APILEDGER_SIEM_URL must look like syslog+tls://siem.example:6514, syslog+tcp://siem.example:601, syslog+relp+tls://siem.example:2514 or otlp+https://collector.example:4318 (no credentials in it).",
    );
  const caFile = env.APILEDGER_SIEM_CA_FILE?.trim();
  if (transport === "otlp") {
    const format = (env.APILEDGER_SIEM_FORMAT?.trim() || "protobuf").toLowerCase();
    if (format !== "protobuf" && format !== "json")
      throw new Error("With an otlp+ APILEDGER_SIEM_URL, APILEDGER_SIEM_FORMAT must be protobuf or json.");
    const secure = url.protocol === "otlp+https:";
    const port = url.port ? Number(url.port) : 4318;
    const endpoint = new URL(`${secure ? "https" : "http"}://${url.host}`);
    endpoint.port = String(port);
    endpoint.pathname = url.pathname && url.pathname !== "/" ? url.pathname : "/v1/logs";
    if (url.search)
      throw new Error(
        "APILEDGER_SIEM_URL: leave the query out of an OTLP endpoint (headers go in APILEDGER_SIEM_OTLP_HEADERS_FILE).",
      );
    const maxText = env.APILEDGER_SIEM_OTLP_MAX_BYTES?.trim() || "4194304";
    const maxBytes = Number(maxText);
    if (!/^\d+$/.test(maxText) || maxBytes < 16_384 || maxBytes > 256 * 1024 * 1024)
      throw new Error("APILEDGER_SIEM_OTLP_MAX_BYTES must be a whole number of bytes from 16384 to 268435456.");
    if (env.APILEDGER_SIEM_CERT_FILE?.trim() || env.APILEDGER_SIEM_KEY_FILE?.trim())
      throw new Error(
        "APILEDGER_SIEM_CERT_FILE and APILEDGER_SIEM_KEY_FILE are for a syslog collector over TLS, not OTLP.",
      );
    const headersFile = env.APILEDGER_SIEM_OTLP_HEADERS_FILE?.trim();
    return {
      transport,
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port,
      ...(caFile ? { ca: fs.readFileSync(caFile, "utf8") } : {}),
      format,
      url: endpoint.toString(),
      maxBytes,
      ...(headersFile ? { headers: otlpHeaders(headersFile) } : {}),
    };
  }
  const format = (env.APILEDGER_SIEM_FORMAT?.trim() || "rfc5424").toLowerCase();
  if (format !== "rfc5424" && format !== "cef") throw new Error("APILEDGER_SIEM_FORMAT must be rfc5424 or cef.");
  const certFile = env.APILEDGER_SIEM_CERT_FILE?.trim();
  const keyFile = env.APILEDGER_SIEM_KEY_FILE?.trim();
  if (!certFile !== !keyFile)
    throw new Error(
      "Set both APILEDGER_SIEM_CERT_FILE and APILEDGER_SIEM_KEY_FILE (the forwarder's certificate and key), or neither.",
    );
  if (certFile && transport !== "tls")
    throw new Error("APILEDGER_SIEM_CERT_FILE is for a TLS collector (syslog+tls:// or syslog+relp+tls://).");
  const client =
    certFile && keyFile ? { cert: fs.readFileSync(certFile, "utf8"), key: fs.readFileSync(keyFile, "utf8") } : null;
  if (client) {
    // A key that is not the certificate's, or is locked with a passphrase, is said at start, not at every send.
    try {
      tls.createSecureContext(client);
    } catch (error) {
      throw new Error(`APILEDGER_SIEM_CERT_FILE and APILEDGER_SIEM_KEY_FILE: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const maxText = env.APILEDGER_SIEM_MAX_MESSAGE_BYTES?.trim() || String(DEFAULT_MAX_MESSAGE_BYTES);
  const maxMessageBytes = Number(maxText);
  if (!/^\d+$/.test(maxText) || maxMessageBytes < 2048 || maxMessageBytes > 64 * 1024 * 1024)
    throw new Error("APILEDGER_SIEM_MAX_MESSAGE_BYTES must be a whole number of bytes from 2048 to 67108864.");
  return {
    transport,
    ...(syslog?.relp ? { relp: true as const } : {}),
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : syslog!.port,
    ...(caFile ? { ca: fs.readFileSync(caFile, "utf8") } : {}),
    ...(client ?? {}),
    maxMessageBytes,
    format,
  };
}

/** The last entry the collector is known to have read (0 before the first). */
export async function forwardedUpTo(): Promise<number> {
  return (await db.forwarderCursor.findUnique({ where: { name: CURSOR } }))?.seq ?? 0;
}

/** A connection to the collector, once it is open (and, over TLS, its certificate checked). */
function connectTo(target: SiemTarget, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      target.transport === "tls"
        ? tls.connect({
            host: target.host,
            port: target.port,
            servername: net.isIP(target.host) ? undefined : target.host,
            ...(target.ca ? { ca: target.ca } : {}),
            ...(target.cert && target.key ? { cert: target.cert, key: target.key } : {}),
          })
        : net.createConnection({ host: target.host, port: target.port });
    const timer = setTimeout(
      () =>
        socket.destroy(
          new Error(`could not connect to the collector ${target.host}:${target.port} within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once(target.transport === "tls" ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve(socket);
    });
  });
}

/**
 * Sends `records` on a connection of its own and resolves once the collector has them: over RELP, once it
 * has answered each one; over plain syslog (octet-counted frames), once it has closed its side after
 * reading them all — the most plain TCP can tell. Rejects on any error, or when the collector has not
 * done so within `timeoutMs`.
 */
async function deliver(target: SiemTarget, records: Buffer[], timeoutMs: number, version: string): Promise<void> {
  const socket = await connectTo(target, timeoutMs);
  const peer = `${target.host}:${target.port}`;
  if (target.relp) return sendRelp(socket, records, { timeoutMs, software: `ApiLedger,${version}`, peer });
  const frames = Buffer.concat(records.flatMap((record) => [Buffer.from(`${record.length} `), record]));
  return new Promise((resolve, reject) => {
    let failed: Error | null = null;
    let ended = false;
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`the collector ${peer} did not take the batch within ${timeoutMs} ms`)),
    );
    socket.on("error", (error) => (failed ??= error));
    // Its side closed: it read to the end of what was sent (and had nothing to say).
    socket.on("end", () => (ended = true));
    socket.on("close", () => {
      if (failed) reject(failed);
      else if (!ended) reject(new Error(`the collector ${peer} closed the connection early`));
      else resolve();
    });
    socket.end(frames);
  });
}

/**
 * Forwards the entries after the cursor, up to `batch` of them, and moves the cursor past them once the
 * collector has read them. Returns how many were forwarded (0: nothing new).
 */
export async function forwardBatch(
  target: SiemTarget,
  options: {
    batch?: number;
    timeoutMs?: number;
    version?: string;
    /** Told each batch the collector took: where it started and its last entry. */
    onDelivered?: (range: { after: number; last: number }) => void;
  } = {},
): Promise<number> {
  const after = await forwardedUpTo();
  const entries = await db.auditEntry.findMany({
    where: { seq: { gt: after } },
    orderBy: { seq: "asc" },
    take: options.batch ?? 500,
  });
  if (!entries.length) return 0;
  // Nothing is skipped: every stored entry after the cursor, in order. (On PostgreSQL seq can skip a number
  // a transaction took and then rolled back — sequences are not transactional — and each entry's prev is
  // the hash of the one stored before it, so the SIEM sees from the chain that nothing between was removed.)
  const checkpoints = new Map(
    (
      await db.auditCheckpoint.findMany({
        where: { seq: { in: entries.filter((e) => e.action === "audit.checkpoint").map((e) => e.seq) } },
        select: { seq: true, text: true, signature: true },
      })
    ).map((c) => [c.seq, c]),
  );
  const version = options.version ?? process.env.npm_package_version ?? "0";
  if (target.transport === "otlp")
    await exportOtlpLogs(
      {
        url: target.url!,
        encoding: target.format as OtlpEncoding,
        maxBytes: target.maxBytes ?? 4 * 1024 * 1024,
        ...(target.ca ? { ca: target.ca } : {}),
        ...(target.headers ? { headers: target.headers } : {}),
      },
      auditLogRecords(entries, { version, checkpoints }),
      options.timeoutMs ?? 15_000,
    );
  else {
    const records = entries.map((entry) =>
      Buffer.from(
        entryRecord(entry, {
          format: target.format as SiemFormat,
          version,
          checkpoint: checkpoints.get(entry.seq) ?? null,
        }),
      ),
    );
    // A record over the collector's limit would be cut short there and still acknowledged (rsyslog does),
    // so it is not sent: the entries before it go, and the forwarder stops at it, saying so, until the
    // limits are raised.
    const max = target.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const fits = records.findIndex((r) => r.length > max);
    if (fits === 0)
      throw new Error(
        `audit entry ${entries[0]!.seq} is ${records[0]!.length} bytes as a syslog message, over APILEDGER_SIEM_MAX_MESSAGE_BYTES (${max}); raise it and the collector's limit (rsyslog: maxMessageSize, imrelp maxDataSize)`,
      );
    if (fits > 0) {
      entries.length = fits;
      records.length = fits;
    }
    try {
      await deliver(target, records, options.timeoutMs ?? 15_000, version);
    } catch (error) {
      // RELP said which messages it took: the cursor moves past those, and only the rest is sent again.
      if (error instanceof RelpIncomplete && error.answered > 0) await moveCursor(entries[error.answered - 1]!.seq);
      throw new DeliveryFailed(error);
    }
  }
  const last = entries.at(-1)!.seq;
  await moveCursor(last);
  options.onDelivered?.({ after, last });
  // At debug level, each batch's range and the cursor it was read after: what an operator (or a test)
  // needs to tell a batch the collector never kept from one the forwarder never sent.
  logger().debug({ part: "siem-forwarder", after, first: entries[0]!.seq, last }, "SIEM forwarder: batch delivered");
  return entries.length;
}

/** The collector did not take a batch (refused, reset, closed early, no answer); the message is its error's. */
class DeliveryFailed extends Error {
  constructor(readonly cause: unknown) {
    super((cause as Error).message);
  }
}

/**
 * Moves the cursor to `seq` in one direction only: forwards past a delivered batch (never backwards, for a
 * forwarder that lost the lock mid-batch and finished late), or back to `seq` for a rewind of plain syslog.
 * Returns what the cursor was when it moved, or null when it was already on the far side.
 */
async function moveCursor(seq: number, direction: "forwards" | "back" = "forwards"): Promise<number | null> {
  return authorizedWrite(
    { actor: SYSTEM },
    { permission: "audit:forward", countsOnly: "audit:forward" },
    async (tx) => {
      const was = (await tx.forwarderCursor.findUnique({ where: { name: CURSOR } }))?.seq ?? 0;
      if (direction === "forwards" ? was >= seq : was <= seq) return null;
      await tx.forwarderCursor.upsert({
        where: { name: CURSOR },
        create: { name: CURSOR, seq, updatedAt: new Date() },
        update: { seq, updatedAt: new Date() },
      });
      return was;
    },
  );
}

export type Forwarder = { stop: () => Promise<void>; lag: () => Promise<number> };

/**
 * Keeps forwarding until stopped: a batch as soon as there are entries, a look every `idleMs` when there
 * are none, and after a failure a wait that doubles up to a minute (the error is logged once per change).
 */
export function startForwarder(
  target: SiemTarget,
  options: { idleMs?: number; batch?: number; timeoutMs?: number; log?: (line: string) => void } = {},
): Forwarder {
  const log = options.log ?? ((line: string) => logger().info({ part: "siem-forwarder" }, line));
  let stopped = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    while (!stopped) {
      const lock = await forwarderLock(() => stopped, sleep);
      if (!lock) return;
      let backoff = 0;
      let lastError = "";
      // Plain syslog only: a collector that stops (or dies) just after reading a batch closes as cleanly as
      // one that kept it. So when delivery next fails, the batches delivered in the REWIND_MS up to the last
      // delivery are sent again: the cursor is moved back to where they started (kept in the database, so a
      // restart or another instance taking over sends them too; a SIEM keys the duplicates on seq).
      const rewinds = !target.relp && target.transport !== "otlp";
      let recent: { after: number; at: number }[] = [];
      // While the batches of a rewind go again (up to the cursor as it was), they are not counted as new
      // deliveries: a collector failing again at once would otherwise send the same batches round forever.
      let resendingUpTo: number | null = null;
      try {
        // A lock whose connection dropped (the database restarted) is no longer held: take it again.
        while (!stopped && !lock.lost()) {
          try {
            const sent = await forwardBatch(target, {
              ...options,
              onDelivered: ({ after, last }) => {
                if (resendingUpTo !== null) {
                  if (last >= resendingUpTo) resendingUpTo = null;
                  return;
                }
                if (!rewinds) return;
                const now = performance.now();
                recent = [...recent.filter((b) => now - b.at < REWIND_MS), { after, at: now }];
              },
            });
            if (lastError) log(`SIEM forwarder: delivering again to ${target.host}:${target.port}`);
            backoff = 0;
            lastError = "";
            if (!sent) await sleep(options.idleMs ?? 2000);
          } catch (error) {
            const message = (error as Error).message;
            if (message !== lastError) log(`SIEM forwarder: ${message}; retrying`);
            lastError = message;
            // Only a failed delivery (refused, reset, no answer) says the collector may have stopped; an
            // entry over the size limit or a database error does not.
            if (error instanceof DeliveryFailed && recent.length) {
              const from = recent[0]!.after;
              recent = [];
              await moveCursor(from, "back")
                .then((was) => {
                  if (was === null) return;
                  resendingUpTo = was;
                  log(
                    `SIEM forwarder: the collector stopped answering just after taking entries from ${from + 1}; they will be sent again`,
                  );
                })
                .catch((e: unknown) => log(`SIEM forwarder: could not move the cursor back: ${(e as Error).message}`));
            }
            backoff = Math.min(60_000, backoff ? backoff * 2 : 500);
            await sleep(backoff);
          }
        }
      } finally {
        await lock.release();
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
    lag: async () => {
      const head = await db.auditEntry.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
      return (head?.seq ?? 0) - (await forwardedUpTo());
    },
  };
}

type Lock = { lost: () => boolean; release: () => Promise<void> };

/** The installation's one forwarder: waits for the lock on PostgreSQL; null when stopped first. */
async function forwarderLock(stopped: () => boolean, sleep: (ms: number) => Promise<void>): Promise<Lock | null> {
  const url = databaseUrl();
  if (providerOf(url) !== "postgres") return { lost: () => false, release: async () => {} };
  while (!stopped()) {
    const client = new pg.Client({ connectionString: url });
    let lost = false;
    // An idle client whose connection drops emits "error": without a listener it would end the process.
    client.on("error", () => (lost = true));
    client.on("end", () => (lost = true));
    try {
      await client.connect();
      const { rows } = await client.query<{ held: boolean }>("SELECT pg_try_advisory_lock($1) AS held", [
        FORWARDER_LOCK,
      ]);
      if (rows[0]?.held) return { lost: () => lost, release: () => client.end().catch(() => {}) };
      await client.end();
    } catch {
      await client.end().catch(() => {});
    }
    await sleep(10_000);
  }
  return null;
}
