import "server-only";
import { logError } from "@/lib/log/logger";
import { ZodError } from "zod";
import { AppError, isAppError } from "@/lib/errors";
import { asFaultError, logFault } from "@/lib/db/fault-errors";
import { requestSource } from "@/lib/server/request-source";

/** RFC 9457 problem details with a stable `type` per error code. */
export function problem(status: number, code: string, detail: string, errors?: Record<string, string[]>): Response {
  return Response.json(
    {
      type: `https://apiledger.invalid/problems/${code.toLowerCase().replace(/_/g, "-")}`,
      title: code.replace(/_/g, " ").toLowerCase(),
      status,
      detail,
      ...(errors && Object.keys(errors).length ? { errors } : {}),
    },
    { status, headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" } },
  );
}

/**
 * Cookie-authenticated writes must come from this site's own pages: browsers send Origin on
 * cross-site POST/PATCH/DELETE, so a mismatch (or a cross-site Sec-Fetch-Site) is a forged request.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  // The host as the HTTP server decided it (a proxy's X-Forwarded-Host only when that proxy is trusted).
  const host = requestSource(request.headers).host;
  if (site && site !== "same-origin" && site !== "none") throw new AppError("FORBIDDEN", "Cross-site request refused.");
  if (origin && host && new URL(origin).host !== host) throw new AppError("FORBIDDEN", "Cross-site request refused.");
}

/**
 * The caller's address: the socket address, or the client a trusted proxy reports (decided by the HTTP
 * server, lib/server/source-address.ts); "local" when the request did not come through that server.
 */
export function sourceAddress(headers: { get(name: string): string | null }): string {
  return requestSource(headers).address;
}

/**
 * An error as an RFC 9457 problem: expected ones (AppError) with their status, message and field
 * errors — plus WWW-Authenticate on 401 and Retry-After when rate-limited or the database is
 * unavailable — faults of the installation as 503 (database unavailable) or 507 (storage full),
 * anything else as a 500 whose details stay in the server log.
 */
export function problemFor(error: unknown): Response {
  const fault = asFaultError(error);
  if (fault) logFault(fault);
  error = fault ?? error;
  if (isAppError(error)) {
    const response = problem(error.status, error.code, error.message, error.fieldErrors);
    if (error.code === "UNAUTHENTICATED") response.headers.set("WWW-Authenticate", 'Bearer realm="apiledger"');
    const retryAfter = (error as { retryAfter?: number }).retryAfter;
    if (retryAfter) response.headers.set("Retry-After", String(retryAfter));
    return response;
  }
  if (error instanceof ZodError) return problem(400, "VALIDATION", "The request is malformed.");
  logError("unexpected error in a route handler", error);
  return problem(500, "INTERNAL", "Something went wrong on the server; nothing was changed.");
}

/** Runs a route handler body, turning expected errors into problem responses. */
export async function handleRoute(body: () => Promise<Response>): Promise<Response> {
  try {
    return await body();
  } catch (error) {
    return problemFor(error);
  }
}

/**
 * A refusal (an RFC 9457 problem from the REST plumbing) in another protocol's own form — OTLP's
 * google.rpc.Status, Firehose's errorMessage — with its status and headers (WWW-Authenticate,
 * Retry-After, the security headers) kept.
 */
export async function reshapeProblem(
  problem: Response,
  contentType: string,
  body: (refusal: { status: number; detail: string; errors: Record<string, string[]> }) => BodyInit,
  /** Answer with this status instead (and its Retry-After when given): a protocol that retries only some. */
  as?: { status: number; retryAfter?: number },
): Promise<Response> {
  const { detail, errors } = (await problem.json().catch(() => ({}))) as {
    detail?: string;
    errors?: Record<string, string[]>;
  };
  const headers = new Headers(problem.headers);
  headers.set("Content-Type", contentType);
  headers.delete("Content-Length");
  if (as?.retryAfter !== undefined) headers.set("Retry-After", String(as.retryAfter));
  const status = as?.status ?? problem.status;
  return new Response(body({ status, detail: detail ?? "The request was refused.", errors: errors ?? {} }), {
    status,
    headers,
  });
}
