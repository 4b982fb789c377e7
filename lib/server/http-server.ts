// The HTTP server `npm start` runs (lib/cli/start.ts): Next's request handler behind a plain Node
// server, because only here is the socket address known. Each request first gets its source decided
// (lib/server/source-address.ts): internal headers a client sent are dropped and set anew, and
// X-Forwarded-* headers are removed unless the socket peer is a trusted proxy — so neither the app nor
// Next itself (its server-action origin check reads X-Forwarded-Host) believes a spoofed one.
// On SIGTERM/SIGINT it stops accepting, runs the shutdown tasks (lib/server/shutdown.ts), then exits.
// Run as: node --import tsx lib/server/http-server.ts --port 3000 [--dev]
import { logError, logger } from "@/lib/log/logger";
import http from "node:http";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import next from "next";
import { runShutdown } from "@/lib/server/shutdown";
import { directReads, directReadsOn } from "@/lib/server/direct-reads";
import { loadRoutes, recordRequest, routeLabel } from "@/lib/metrics/registry";
import { urlProblem } from "@/lib/input/url";
import { HOST_HEADER, INTERNAL_HEADERS, KEY_HEADER, PEER_HEADER, PROTO_HEADER } from "@/lib/server/request-source";
import { FORWARDING_HEADERS, parseTrustedProxies, resolveSource, type ProxyTrust } from "@/lib/server/source-address";

const ROOT = path.resolve(import.meta.dirname, "../..");

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/** Decides the request's source and rewrites its headers accordingly (see the file comment). */
export function stampSource(req: http.IncomingMessage, trust: ProxyTrust): void {
  const h = req.headers;
  const source = resolveSource(
    {
      socketAddress: req.socket.remoteAddress,
      encrypted: "encrypted" in req.socket && !!req.socket.encrypted,
      forwardedFor: one(h["x-forwarded-for"]),
      forwardedProto: one(h["x-forwarded-proto"]),
      forwardedHost: one(h["x-forwarded-host"]),
      host: one(h.host),
    },
    trust,
  );
  for (const name of INTERNAL_HEADERS) delete h[name];
  if (!source.viaTrustedProxy) for (const name of FORWARDING_HEADERS) delete h[name];
  // Next builds its request headers from req.headers; rawHeaders is kept in step for anything reading it.
  const drop = new Set<string>([...INTERNAL_HEADERS, ...(source.viaTrustedProxy ? [] : FORWARDING_HEADERS)]);
  const raw: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    if (!drop.has(req.rawHeaders[i]!.toLowerCase())) raw.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  req.rawHeaders.splice(0, req.rawHeaders.length, ...raw);
  h[KEY_HEADER] = sourceKey();
  h[PEER_HEADER] = source.address;
  h[PROTO_HEADER] = source.proto;
  if (source.host) h[HOST_HEADER] = source.host;
}

/** The key that marks the internal headers as this server's (see KEY_HEADER), made once per process. */
function sourceKey(): string {
  return (process.env.APILEDGER_SOURCE_KEY ||= randomBytes(32).toString("hex"));
}

/** APILEDGER_KEEPALIVE_TIMEOUT in seconds (1 to 3600), 65 when unset; anything else is refused. */
export function keepAliveMs(setting: string | undefined): number {
  if (setting === undefined || setting.trim() === "") return 65_000;
  const seconds = /^\s*\d{1,4}\s*$/.test(setting) ? Number(setting) : NaN;
  if (!(seconds >= 1 && seconds <= 3600))
    throw new Error(`APILEDGER_KEEPALIVE_TIMEOUT must be whole seconds from 1 to 3600, not "${setting}".`);
  return seconds * 1000;
}

function requestLineProblem(target: string): string | null {
  let url: URL;
  try {
    url = new URL(target, "http://request.invalid");
  } catch {
    return "The request line is not a valid URL.";
  }
  return urlProblem(url);
}

export async function startHttpServer(options: {
  port: number;
  hostname?: string;
  dev: boolean;
  dir?: string;
}): Promise<http.Server> {
  const trust = parseTrustedProxies(process.env.APILEDGER_TRUSTED_PROXIES);
  // A fresh key for this process (never one inherited from the environment), set before Next loads.
  process.env.APILEDGER_SOURCE_KEY = randomBytes(32).toString("hex");
  const server = http.createServer();
  // An idle keep-alive connection is closed after this long. A proxy or client that reuses a
  // connection at the moment the server closes it gets a reset (a failed POST it cannot safely
  // retry), so the server waits longer than the proxies in front of it: NGINX's upstream
  // keepalive_timeout and AWS ALB's idle timeout are 60 s by default. Node's own default is 5 s.
  server.keepAliveTimeout = keepAliveMs(process.env.APILEDGER_KEEPALIVE_TIMEOUT);
  // Node requires the header wait to be longer than the keep-alive wait, or idle sockets time out first.
  server.headersTimeout = server.keepAliveTimeout + 5_000;
  const app = next({
    dev: options.dev,
    dir: options.dir ?? ROOT,
    port: options.port,
    hostname: options.hostname,
    httpServer: server,
  });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Requests are counted by the route that answers them (GET /metrics); the dev server has no manifest yet.
  const manifest = path.join(options.dir ?? ROOT, ".next", "routes-manifest.json");
  if (fs.existsSync(manifest)) loadRoutes(JSON.parse(fs.readFileSync(manifest, "utf8")));
  // Token-authenticated REST reads skip Next's request pipeline (lib/server/direct-reads.ts); off: all via Next.
  const direct =
    !options.dev && directReadsOn(process.env.APILEDGER_DIRECT_READS)
      ? directReads(path.join(options.dir ?? ROOT, ".next"), { hostname: options.hostname, port: options.port })
      : null;
  server.on("request", (req, res) => {
    const started = process.hrtime.bigint();
    // "close", not "finish": a request whose client went away before the end (a dropped download, a
    // slow sender cut off) is counted and logged too, as aborted.
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const path = (req.url ?? "/").split("?")[0]!;
      const aborted = !res.writableFinished;
      recordRequest(req.method ?? "", path, aborted ? "aborted" : res.statusCode, seconds);
      // The access log: no query string and no header (either may carry a secret), the path cut short.
      logger().info(
        {
          method: req.method,
          path: path.slice(0, 512),
          route: routeLabel(path),
          status: res.statusCode,
          ...(aborted ? { aborted: true } : {}),
          ms: Math.round(seconds * 1000),
          source: req.headers[PEER_HEADER],
        },
        "request",
      );
    });
    try {
      stampSource(req, trust);
    } catch (error) {
      logError("could not read the request's source", error);
      res.writeHead(400).end();
      return;
    }
    // The outside-text rule for the request line, before Next decodes a path parameter (it answers a
    // lone surrogate there with a bare 500). proxy.ts checks it too, but /api/v1 bypasses the proxy.
    const badUrl = requestLineProblem(req.url ?? "/");
    if (badUrl) {
      const body = JSON.stringify({
        type: "https://apiledger.invalid/problems/validation",
        title: "validation",
        status: 400,
        detail: badUrl,
      });
      res
        .writeHead(400, {
          "Content-Type": "application/problem+json",
          "Cache-Control": "no-store",
          "Content-Security-Policy": "default-src 'none'; sandbox; frame-ancestors 'none'",
          "X-Content-Type-Options": "nosniff",
        })
        .end(body);
      return;
    }
    (direct ? direct.serve(req, res) : Promise.resolve(false))
      .then((served) => (served ? undefined : handle(req, res)))
      .catch((error) => {
        logError("unhandled error in the request handler", error);
        if (res.headersSent) return res.destroy();
        // Headers a failed answer had set (a download's name, its digest) do not go out with the 500.
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        res.writeHead(500, "Internal Server Error").end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  logger().info({ port: options.port, trustedProxies: trust.describe }, `listening on port ${options.port}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, "stopping: finishing open requests and writing held records");
    // Stop accepting; idle keep-alive connections are closed so close() can complete.
    server.close();
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    force.unref();
    void runShutdown()
      .catch((error) => logError("shutdown failed", error))
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  return server;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf("--port");
  const port = Number(portAt >= 0 ? args[portAt + 1] : (process.env.PORT ?? 3000));
  const hostAt = args.indexOf("--hostname");
  await startHttpServer({ port, hostname: hostAt >= 0 ? args[hostAt + 1] : undefined, dev: args.includes("--dev") });
}
