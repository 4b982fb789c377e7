import "server-only";
import { createHash } from "node:crypto";
import { IdempotentReplay, idempotentResult, type WriteContext } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { assertSameOrigin, problemFor } from "@/lib/http/responses";
import { authenticate, clientIp, type ApiPrincipal } from "@/lib/rest/authenticate";
import { recordApiCall } from "@/lib/rest/call-log";
import { noteAuthFailure, rateLimited, takeAddressRequest, takeRequest } from "@/lib/http/rate-limit";
import { readBodyBytes } from "@/lib/input/read-body";
import { decodeBody } from "@/lib/input/text";
import { parseJsonBounded } from "@/lib/input/parse-body";
import { requireRolePermission, type Permission } from "@/lib/authz/policy";
import { urlProblem } from "@/lib/input/url";
import { requestSource } from "@/lib/server/request-source";
import { withDataHeaders } from "@/lib/http/security-headers";

// Every /api/v1 route goes through here: rate-limit the source address (before any token lookup),
// authenticate (token or session), refuse cross-site writes made with a session cookie, rate-limit per
// caller, check the route's declared permission against the policy BEFORE the body is read, bound and
// parse the body (bounded depth and size; large ones off the event loop), honour Idempotency-Key on
// writes, map errors to RFC 9457 problems, and log the call. The handlers call the same services as the
// UI, so the one policy (narrowed by the token's scopes) decides every call — the route's permission is
// the role-level question; the object-level one (team-limited tokens, ownership) is asked in the service.

/** Bodies are small unless a route declares more (event batches, catalog imports, descriptions). */
export const DEFAULT_MAX_BODY = 64 * 1024;

/**
 * How long a request body may take to arrive (APILEDGER_BODY_TIMEOUT_SECONDS, default 60): a sender
 * trickling bytes would otherwise hold its memory and, on the traffic routes, a slot others wait for.
 */
export function bodyDeadlineMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.APILEDGER_BODY_TIMEOUT_SECONDS ?? 60);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
}

export type RouteOptions = {
  /** The permission a caller needs before the body is read (the policy's role × token-scope answer). */
  permission: Permission;
  maxBodyBytes?: number;
};

export type ApiContext<P> = {
  principal: ApiPrincipal;
  /** For services: the actor (with the token's grant), the address and the idempotency key if any. */
  write: WriteContext;
  request: Request;
  params: P;
  url: URL;
  /** The body's bytes (bounded), read once; large bodies go to the parsers as bytes, decoded off the event loop. */
  bytes: () => Promise<Uint8Array>;
  /** The body as UTF-8 text (bounded). */
  text: () => Promise<string>;
  /** The body as JSON (bounded bytes, depth and element count; Content-Type checked). */
  json: () => Promise<unknown>;
};

type RouteContext<P> = { params: Promise<P> };

const KEY = /^[\x21-\x7e]{1,255}$/;

async function run<P>(
  request: Request,
  context: RouteContext<P>,
  permission: Permission | null,
  maxBody: number,
  body: (ctx: ApiContext<P>) => Promise<Response>,
  replay?: (resultJson: string) => Response,
): Promise<Response> {
  const started = Date.now();
  const url = new URL(request.url);
  const ip = clientIp(request);
  let principal: ApiPrincipal | null = null;
  let response: Response;
  try {
    // The outside-text rule for the request line (proxy.ts does it for every other path).
    const badUrl = urlProblem(url);
    if (badUrl) throw new AppError("VALIDATION", badUrl);
    const fromAddress = await takeAddressRequest(ip);
    if (!fromAddress.ok) throw rateLimited(fromAddress);
    try {
      principal = await authenticate(request);
    } catch (error) {
      if (request.headers.has("authorization")) await noteAuthFailure(ip);
      throw error;
    }
    const isWrite = !["GET", "HEAD"].includes(request.method);
    if (isWrite && !principal.tokenId) assertSameOrigin(request);
    const limit = await takeRequest(principal.tokenId ?? `user:${principal.actor.id}`);
    if (!limit.ok) throw rateLimited(limit);
    // Before a byte of the body is read: a caller who may never do this gets 403 at once.
    if (permission) requireRolePermission(principal.actor, permission);
    let bytes: Promise<Uint8Array> | null = null;
    let decoded: string | null = null;
    const readBytes = () => (bytes ??= readBodyBytes(request, maxBody, { deadlineMs: bodyDeadlineMs() }));
    const text = async () => (decoded ??= decodeBody(await readBytes()));
    const write: WriteContext = { actor: principal.actor, ip };
    const key = request.headers.get("idempotency-key");
    // Only routes that can replay a stored answer take the key (SCIM has no such notion and ignores it).
    if (isWrite && key !== null && replay) {
      if (!KEY.test(key)) throw new AppError("VALIDATION", "Idempotency-Key must be 1–255 visible ASCII characters.");
      const requestHash = createHash("sha256")
        .update(`${request.method} ${url.pathname}\n`)
        .update(await readBytes())
        .digest("hex");
      const idem = {
        principal: principal.tokenId ?? principal.actor.id,
        key,
        method: request.method,
        route: url.pathname,
        requestHash,
      };
      const first = await idempotentResult(db, idem);
      if (first !== null) throw new IdempotentReplay(first);
      write.idempotency = idem;
    }
    response = await body({
      principal,
      write,
      request,
      params: await context.params,
      url,
      bytes: readBytes,
      text,
      json: async () => parseJsonBounded(jsonBody(request, await readBytes())),
    });
  } catch (error) {
    if (error instanceof IdempotentReplay && replay) {
      response = replay(error.result);
      response.headers.set("Idempotent-Replayed", "true");
    } else {
      response = problemFor(error);
    }
  }
  // Every REST answer is about one caller's data (or their refusal): never kept by a shared cache.
  if (!/no-store/.test(response.headers.get("Cache-Control") ?? "")) response.headers.set("Cache-Control", "no-store");
  withDataHeaders(response, requestSource(request.headers).proto === "https");
  recordApiCall({
    at: new Date(started),
    tokenId: principal?.tokenId ?? null,
    userId: principal?.actor.id ?? null,
    method: request.method,
    route: url.pathname.slice(0, 500),
    status: response.status,
    ip,
    durationMs: Date.now() - started,
  });
  return response;
}

/** The body, once its media type says JSON. */
function jsonBody(request: Request, body: Uint8Array): Uint8Array {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json"))
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON (Content-Type: application/json).");
  return body;
}

/** A read: the handler returns the response. `permission`, when given, is checked before the handler runs. */
export function apiRead<P = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => Promise<Response>,
  options: { permission?: Permission } = {},
) {
  return (request: Request, context: RouteContext<P>) => run(request, context, options.permission ?? null, 0, handler);
}

/**
 * A route that answers every method itself (SCIM: reads and writes through one protocol handler), with the
 * same authentication, limits, body bounds and call log as the others; no Idempotency-Key replay.
 */
export function apiHandler<P>(handler: (ctx: ApiContext<P>) => Promise<Response>, options: RouteOptions) {
  return (request: Request, context: RouteContext<P>) =>
    run(request, context, options.permission, options.maxBodyBytes ?? DEFAULT_MAX_BODY, handler);
}

/**
 * A write: the handler returns the service's result exactly as the service returns it, and `respond`
 * turns a result (with the path parameters and URL) into the response. A retry with the same
 * Idempotency-Key is answered by `respond` from the result the service stored with its write, so
 * anything the answer adds belongs in `respond`, never in the handler — else the retry would differ.
 */
export function apiWrite<P, R>(
  handler: (ctx: ApiContext<P>) => Promise<R>,
  respond: (result: R, ctx: { params: P; url: URL }) => Response,
  options: RouteOptions,
) {
  return async (request: Request, context: RouteContext<P>) => {
    const params = await context.params;
    const resolved = { params: Promise.resolve(params) };
    const url = new URL(request.url);
    return run(
      request,
      resolved,
      options.permission,
      options.maxBodyBytes ?? DEFAULT_MAX_BODY,
      async (ctx) => respond(await handler(ctx), { params, url }),
      (json) => respond(JSON.parse(json) as R, { params, url }),
    );
  };
}
