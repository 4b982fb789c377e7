import "server-only";
import { AppError } from "@/lib/errors";

// Per-caller token buckets, in the memory of this server process: each token (or signed-in person)
// may make APILEDGER_API_RATE_PER_MINUTE requests a minute, in bursts up to the same number.
const buckets = new Map<string, { tokens: number; at: number }>();

export function ratePerMinute(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.APILEDGER_API_RATE_PER_MINUTE ?? 600);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 600;
}

/**
 * Requests a minute from one source address, counted before authentication (REST calls and sign-in
 * attempts), so an unauthenticated flood is refused before it costs a token lookup or a password hash.
 */
export function addressRatePerMinute(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.APILEDGER_ADDRESS_RATE_PER_MINUTE ?? 1200);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1200;
}

/** Failed authentications a minute from one address before further attempts are refused (optional; 0 = no cap). */
export function authFailuresPerMinute(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.APILEDGER_AUTH_FAILURES_PER_MINUTE ?? 0);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 0;
}

export type Limited = { ok: true } | { ok: false; retryAfterSeconds: number };

function refill(key: string, perMinute: number, now: number): { tokens: number; at: number } {
  const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
  bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
  bucket.at = now;
  buckets.set(key, bucket);
  // Full buckets carry no state: drop them so a flood from many addresses cannot grow the map without end.
  if (buckets.size > 50_000)
    for (const [k, b] of buckets) if (b.tokens + ((now - b.at) / 60_000) * perMinute >= perMinute) buckets.delete(k);
  return bucket;
}

const wait = (tokens: number, perMinute: number) => Math.max(1, Math.ceil(((1 - tokens) / perMinute) * 60));

/** Whether the bucket has a request left, without taking it. */
export function peekRequest(key: string, perMinute: number, now = Date.now()): Limited {
  const bucket = refill(key, perMinute, now);
  return bucket.tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: wait(bucket.tokens, perMinute) };
}

/** Takes one request from the caller's bucket; when empty, says how many seconds until the next one. */
export function takeRequest(key: string, perMinute = ratePerMinute(), now = Date.now()): Limited {
  const bucket = refill(key, perMinute, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { ok: true };
  }
  return { ok: false, retryAfterSeconds: wait(bucket.tokens, perMinute) };
}

/** A source address's pre-authentication checks: its request rate, and its failed-authentication cap if set. */
export function takeAddressRequest(address: string, now = Date.now()): Limited {
  const cap = authFailuresPerMinute();
  if (cap) {
    const failures = peekRequest(`auth-failures:${address}`, cap, now);
    if (!failures.ok) return failures;
  }
  return takeRequest(`address:${address}`, addressRatePerMinute(), now);
}

/** Counts a failed authentication from an address against APILEDGER_AUTH_FAILURES_PER_MINUTE. */
export function noteAuthFailure(address: string, now = Date.now()): void {
  const cap = authFailuresPerMinute();
  if (cap) takeRequest(`auth-failures:${address}`, cap, now);
}

export function rateLimited(limit: { retryAfterSeconds: number }): AppError {
  return Object.assign(new AppError("RATE_LIMITED", `Too many requests; try again in ${limit.retryAfterSeconds} s.`), {
    retryAfter: limit.retryAfterSeconds,
  });
}

/** Tests only: forget every bucket. */
export function resetRateLimits(): void {
  buckets.clear();
}
