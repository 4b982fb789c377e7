import "server-only";
import { createHash } from "node:crypto";
import { IdempotentReplay, type WriteContext } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertSameOrigin, problemFor } from "@/lib/http";
import { authenticate, clientIp, type ApiPrincipal } from "@/lib/api/authenticate";
import { recordApiCall } from "@/lib/api/call-log";
import { takeRequest } from "@/lib/api/rate-limit";
import { parseJsonBody, readBody } from "@/lib/api/read-body";

// Every /api/v1 route goes through here: authenticate (token or session), refuse cross-site writes made
// with a session cookie, rate-limit per caller, bound and parse the body, honour Idempotency-Key on
// writes, map errors to RFC 9457 problems, and log the call. The handlers call the same services as the
// UI, so the one policy (narrowed by the token's scopes) decides every call.

export const DEFAULT_MAX_BODY = 256 * 1024;

export type ApiContext<P> = {
  principal: ApiPrincipal;
  /** For services: the actor (with the token's grant), the address and the idempotency key if any. */
  write: WriteContext;
  request: Request;
  params: P;
  url: URL;
  /** The body as text (bounded), read once. */
  text: () => Promise<string>;
  /** The body as JSON (bounded, Content-Type checked). */
  json: () => Promise<unknown>;
};

type RouteContext<P> = { params: Promise<P> };

const KEY = /^[\x21-\x7e]{1,255}$/;

async function run<P>(request: Request, context: RouteContext<P>, maxBody: number, body: (ctx: ApiContext<P>) => Promise<Response>, replay?: (resultJson: string) => Response): Promise<Response> {
  const started = Date.now();
  const url = new URL(request.url);
  let principal: ApiPrincipal | null = null;
  let response: Response;
  try {
    principal = await authenticate(request);
    const isWrite = !["GET", "HEAD"].includes(request.method);
    if (isWrite && !principal.tokenId) assertSameOrigin(request);
    const limit = takeRequest(principal.tokenId ?? `user:${principal.actor.id}`);
    if (!limit.ok) throw Object.assign(new AppError("RATE_LIMITED", `Too many requests; try again in ${limit.retryAfterSeconds} s.`), { retryAfter: limit.retryAfterSeconds });
    let cached: string | null = null;
    const text = async () => (cached ??= await readBody(request, maxBody));
    const write: WriteContext = { actor: principal.actor, ip: clientIp(request) };
    const key = request.headers.get("idempotency-key");
    if (isWrite && key !== null) {
      if (!KEY.test(key)) throw new AppError("VALIDATION", "Idempotency-Key must be 1–255 visible ASCII characters.");
      const requestHash = createHash("sha256").update(`${request.method} ${url.pathname}\n${await text()}`).digest("hex");
      const idem = { principal: principal.tokenId ?? principal.actor.id, key, method: request.method, route: url.pathname, requestHash };
      const existing = await db.idempotencyRecord.findUnique({ where: { principal_key: { principal: idem.principal, key } } });
      if (existing && existing.requestHash !== requestHash) throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for a different request; use a new key.");
      if (existing && replay) throw new IdempotentReplay(existing.responseBody);
      write.idempotency = idem;
    }
    response = await body({ principal, write, request, params: await context.params, url, text, json: async () => parseJsonBody(request, await text()) });
  } catch (error) {
    if (error instanceof IdempotentReplay && replay) {
      response = replay(error.result);
      response.headers.set("Idempotent-Replayed", "true");
    } else {
      response = problemFor(error);
    }
  }
  recordApiCall({ at: new Date(started), tokenId: principal?.tokenId ?? null, userId: principal?.actor.id ?? null, method: request.method, route: url.pathname.slice(0, 500), status: response.status, ip: clientIp(request), durationMs: Date.now() - started });
  return response;
}

/** A read: the handler returns the response. */
export function apiRead<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<Response>) {
  return (request: Request, context: RouteContext<P>) => run(request, context, 0, handler);
}

/**
 * A write: the handler returns the service's result, and `respond` turns a result into the response —
 * also for a retried request with the same Idempotency-Key, which gets the first result back.
 */
export function apiWrite<P, R>(handler: (ctx: ApiContext<P>) => Promise<R>, respond: (result: R, ctx: { params: P }) => Response, options: { maxBodyBytes?: number } = {}) {
  return async (request: Request, context: RouteContext<P>) => {
    const params = await context.params;
    const resolved = { params: Promise.resolve(params) };
    return run(request, resolved, options.maxBodyBytes ?? DEFAULT_MAX_BODY, async (ctx) => respond(await handler(ctx), { params }), (json) => respond(JSON.parse(json) as R, { params }));
  };
}
