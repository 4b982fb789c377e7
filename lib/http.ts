import "server-only";
import { ZodError } from "zod";
import { AppError, isAppError } from "@/lib/errors";

/** RFC 9457 problem details with a stable `type` per error code. */
export function problem(status: number, code: string, detail: string, errors?: Record<string, string[]>): Response {
  return Response.json(
    { type: `https://apiledger.invalid/problems/${code.toLowerCase().replace(/_/g, "-")}`, title: code.replace(/_/g, " ").toLowerCase(), status, detail, ...(errors && Object.keys(errors).length ? { errors } : {}) },
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
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (site && site !== "same-origin" && site !== "none") throw new AppError("FORBIDDEN", "Cross-site request refused.");
  if (origin && host && new URL(origin).host !== host) throw new AppError("FORBIDDEN", "Cross-site request refused.");
}

export const MAX_JSON_BYTES = 256 * 1024;

export async function readJson(request: Request): Promise<unknown> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_JSON_BYTES) throw new AppError("VALIDATION", `The request body is larger than ${MAX_JSON_BYTES / 1024} KB.`);
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw new AppError("VALIDATION", `The request body is larger than ${MAX_JSON_BYTES / 1024} KB.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("VALIDATION", "The request body is not valid JSON.");
  }
}

/** Runs a route handler body, turning expected errors into problem responses. */
export async function handleRoute(body: () => Promise<Response>): Promise<Response> {
  try {
    return await body();
  } catch (error) {
    if (isAppError(error)) return problem(error.status, error.code, error.message, error.fieldErrors);
    if (error instanceof ZodError) return problem(400, "VALIDATION", "The request is malformed.");
    console.error("Unexpected error in a route handler", error);
    return problem(500, "INTERNAL", "Something went wrong on the server; nothing was changed.");
  }
}
