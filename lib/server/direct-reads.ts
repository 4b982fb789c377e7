// REST reads answered by the route's own handler without Next's request pipeline.
//
// Why: measured on GET /api/v1/apis (README, "Serving reads"), Next's pipeline for a route handler — its
// router, request and response adapters, tracing and async-storage scopes — cost as much per call as the
// whole answer of a bare node:http server, and more than the list's own work. A REST read needs none of
// it: every /api/v1 handler but the public openapi.json goes through lib/rest/api-route.ts, which does the
// rate limits, the authentication, the policy, the headers and the call log itself.
//
// Which requests: GET to an /api/v1 route whose handler is the built route's own GET, that carry an
// Authorization header (so authenticate() never reads the session cookie, the one place a REST handler
// would need Next's request scope: next/headers), no body, and a plain path — letters, digits and
// `-._~` segments, no trailing slash, no empty or dot segment, no percent-encoding — so that the path
// parameters are exactly the segments, with nothing to decode. Everything else (pages, sessions, SCIM,
// catch-all routes, writes, odd paths) goes to Next as before. The request has been through the server's
// checks first (lib/server/http-server.ts: the source stamp, the request-line rule).
//
// The route's handler is the one Next itself loaded: Next requires the same built file, and Node's module
// cache gives both the same module, so the database client, the limits and the caches are one. How the
// built file exposes the handler (routeModule.ensureUserland, routeModule.userland) is Next's, pinned by
// the lock file and by lib/server/direct-reads.suite.ts; if a Next upgrade changes it, the route is
// answered by Next again and the server logs it once. Nothing else waits on a request passing through
// Next: a production server runs instrumentation.ts (the background jobs) as it starts, before any request
// (measured: a server sent no request at all recorded its first job runs 31 s after it began to listen).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type http from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { logger } from "@/lib/log/logger";
import { directReadCount } from "@/lib/metrics/registry";
import { PROTO_HEADER } from "@/lib/server/request-source";

type HeaderRule = {
  regex: string;
  headers: { key: string; value: string }[];
  has?: unknown[];
  missing?: unknown[];
};
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = {
  page: string;
  segments: string[];
  file: string;
  /** undefined: not loaded yet; null: the route cannot be answered here (no GET, or an unknown shape). */
  handler?: Handler | null;
};
type RouteModule = {
  routeModule?: { ensureUserland?: () => Promise<void>; userland?: { GET?: unknown } & Record<string, unknown> };
};
const ROUTE_SETTINGS = [
  "dynamic",
  "dynamicParams",
  "revalidate",
  "fetchCache",
  "runtime",
  "preferredRegion",
  "maxDuration",
  "generateStaticParams",
];

// Segments of unreserved characters that do not start with a dot: no empty, `.` or `..` segment, nothing
// encoded, no trailing slash.
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;

/** APILEDGER_DIRECT_READS: `on` (the default, also when unset) or `off`; anything else is refused. */
export function directReadsOn(setting: string | undefined): boolean {
  const value = (setting ?? "").trim().toLowerCase();
  if (value === "" || value === "on") return true;
  if (value === "off") return false;
  throw new Error(`APILEDGER_DIRECT_READS must be "on" or "off", not "${setting}".`);
}

export type DirectReads = {
  /** Answers the request and returns true, or returns false and leaves it untouched for Next. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean>;
};

/**
 * The direct read routes of a production build in `distDir`, or null when there is no build (dev). The
 * request URL's origin is the server's own address, as Next builds it (never the Host header, which the
 * client chooses: it must not move the path the call log records, nor make the URL unparsable).
 */
export function directReads(distDir: string, listen: { hostname?: string; port: number }): DirectReads | null {
  const routesFile = path.join(distDir, "routes-manifest.json");
  const pathsFile = path.join(distDir, "server", "app-paths-manifest.json");
  if (!fs.existsSync(routesFile) || !fs.existsSync(pathsFile)) return null;
  const manifest = JSON.parse(fs.readFileSync(routesFile, "utf8")) as {
    staticRoutes?: { page: string }[];
    dynamicRoutes?: { page: string }[];
    headers?: HeaderRule[];
  };
  // next.config's headers, as the build wrote them: only rules without conditions or parameters in their
  // values can be applied here without Next's matcher; any other sends every read to Next.
  const rules = (manifest.headers ?? []).map((rule) => ({ regex: new RegExp(rule.regex), headers: rule.headers }));
  const plainRules = (manifest.headers ?? []).every(
    (rule) => !rule.has && !rule.missing && rule.headers.every(({ value }) => !value.includes(":")),
  );
  if (!plainRules) {
    logger().warn("next.config's headers have conditions or parameters; every REST read goes through Next");
    return null;
  }
  const configHeaders = (pathname: string) =>
    rules.filter((rule) => rule.regex.test(pathname)).flatMap((rule) => rule.headers);
  const files = JSON.parse(fs.readFileSync(pathsFile, "utf8")) as Record<string, string>;
  const load = createRequire(import.meta.url);
  const host = listen.hostname || "localhost";
  const authority = `${host.includes(":") ? `[${host}]` : host}:${listen.port}`;
  // Next's order: static routes first, then dynamic ones from the most specific (its manifest is sorted).
  const routes: Route[] = [];
  for (const { page } of [...(manifest.staticRoutes ?? []), ...(manifest.dynamicRoutes ?? [])]) {
    const file = files[`${page}/route`];
    if (!page.startsWith("/api/v1/") || !file || page.includes("[...") || page.includes("[[")) continue;
    routes.push({ page, segments: page.split("/").slice(1), file: path.join(distDir, "server", file) });
  }

  function match(pathname: string): { route: Route; params: Record<string, string> } | null {
    const parts = pathname.split("/").slice(1);
    for (const route of routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; ok && i < parts.length; i++) {
        const want = route.segments[i]!;
        if (want.startsWith("[")) params[want.slice(1, -1)] = parts[i]!;
        else ok = want === parts[i];
      }
      if (ok) return { route, params };
    }
    return null;
  }

  async function handlerOf(route: Route): Promise<Handler | null> {
    if (route.handler !== undefined) return route.handler;
    let handler: Handler | null = null;
    try {
      const { routeModule } = load(route.file) as RouteModule;
      await routeModule?.ensureUserland?.();
      const userland = routeModule?.userland;
      const get = userland?.GET;
      // A route with its own rendering settings (static, revalidated, another runtime) is Next's to serve.
      const settled = userland && ROUTE_SETTINGS.some((name) => name in userland);
      handler = typeof get === "function" && !settled ? (get as Handler) : null;
      if (!routeModule?.ensureUserland)
        logger().warn({ route: route.page }, "this Next.js build does not expose its route handlers; Next answers");
    } catch (error) {
      logger().warn({ route: route.page, err: String(error) }, "route handler not loadable directly; Next answers");
    }
    route.handler = handler;
    return handler;
  }

  return {
    async serve(req, res) {
      if (req.method !== "GET" || !req.headers.authorization) return false;
      if (req.headers["transfer-encoding"] || (req.headers["content-length"] ?? "0") !== "0") return false;
      const target = req.url ?? "/";
      const q = target.indexOf("?");
      const pathname = q < 0 ? target : target.slice(0, q);
      if (!pathname.startsWith("/api/v1/") || !PLAIN_PATH.test(pathname)) return false;
      const found = match(pathname);
      if (!found) return false;
      const handler = await handlerOf(found.route);
      if (!handler) return false;
      const proto = req.headers[PROTO_HEADER] === "https" ? "https" : "http";
      const request = toRequest(req, `${proto}://${authority}${target}`);
      const response = await handler(request, { params: Promise.resolve(found.params) });
      directReadCount(found.route.page);
      await send(response, res, configHeaders(pathname), acceptsGzip(req.headers["accept-encoding"]));
      return true;
    },
  };
}

/**
 * The Web request the handler reads: the method, the URL and the headers as the server left them
 * (req.headers, with the source stamp; not rawHeaders, which never had it).
 */
function toRequest(req: http.IncomingMessage, url: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.append(name, value);
    else if (value) for (const one of value) headers.append(name, one);
  }
  return new Request(url, { method: "GET", headers });
}

const gzip = promisify(zlib.gzip);
const FRAMING = new Set(["content-length", "content-encoding", "transfer-encoding"]);
const REPEATABLE = new Set(["www-authenticate", "proxy-authenticate", "vary"]);
// Text and JSON of 1 KiB or more, gzipped when the client takes gzip. Next's pipeline (the `compression`
// middleware behind its router) gzips every text or JSON answer, however short, and would send deflate to a
// client that takes only that; a short problem answer costs more to compress than it saves, and deflate-only
// clients are rare, so those go uncompressed here (both are valid HTTP).
const COMPRESS_FROM = 1024;
const COMPRESSIBLE = /^(?:text\/|application\/(?:[\w.+-]*\+)?json\b)/i;

/** Whether the client takes gzip: named (or `*`) with a quality above zero. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (name.trim() === "gzip") return quality > 0;
    if (name.trim() === "*") star = quality > 0;
  }
  return star;
}

/**
 * Writes the response: next.config's headers, then the handler's, then the body — in one write with its
 * length when it comes in one piece (every JSON answer; gzipped off the event loop when the client asks and
 * it is 1 KiB or more, see COMPRESS_FROM), else streamed with back-pressure (a bundle's file).
 */
async function send(
  response: Response,
  res: http.ServerResponse,
  configHeaders: { key: string; value: string }[],
  gzipOk: boolean,
): Promise<void> {
  // As Next's sendResponse: next.config's headers first; a handler's header only where none is set, but
  // for those that may repeat; never the handler's framing (the length is the bytes actually written).
  for (const { key, value } of configHeaders) res.setHeader(key, value);
  for (const cookie of response.headers.getSetCookie()) res.appendHeader("set-cookie", cookie);
  response.headers.forEach((value, name) => {
    if (name === "set-cookie" || FRAMING.has(name)) return;
    if (REPEATABLE.has(name) || res.getHeader(name) === undefined) res.appendHeader(name, value);
  });
  res.statusCode = response.status;
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A client that goes away stops the read, which closes the source (a bundle's file, say) — also one that
  // left while the handler was still working, before this listener was there.
  let finished = false;
  const stop = () => {
    if (!finished) void reader.cancel().catch(() => {});
  };
  res.once("close", stop);
  try {
    if (res.destroyed) return;
    let chunk = await reader.read();
    for (let first = true; !chunk.done; first = false) {
      const next = await reader.read();
      finished = next.done;
      if (res.destroyed) return;
      if (first && next.done) {
        let body: Uint8Array = chunk.value;
        const compressible = COMPRESSIBLE.test(response.headers.get("content-type") ?? "");
        if (compressible) res.appendHeader("vary", "Accept-Encoding");
        if (compressible && gzipOk && body.byteLength >= COMPRESS_FROM) {
          body = await gzip(body);
          if (res.destroyed) return;
          res.setHeader("content-encoding", "gzip");
        }
        res.setHeader("content-length", body.byteLength);
        res.end(body);
        return;
      }
      if (!res.write(chunk.value)) await drained(res);
      chunk = next;
    }
    finished = true;
    res.end();
  } finally {
    res.off("close", stop);
    stop();
  }
}

function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}
