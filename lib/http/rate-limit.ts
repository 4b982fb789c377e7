import "server-only";
import pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { databaseUrl, libpqUrl, providerOf } from "@/lib/db/db-url";
import { AppError } from "@/lib/errors";

// Request limits per caller: each token (or signed-in person) may make APILEDGER_API_RATE_PER_MINUTE
// requests a minute, and each source address APILEDGER_ADDRESS_RATE_PER_MINUTE before authentication.
// Counted by rate-limiter-flexible in windows of a minute. On PostgreSQL the counts are in the database
// (the RateLimit table), so instances behind one load balancer share them: N instances allow the limit,
// not N times it. Should the database not answer, each process counts in its own memory meanwhile (the
// library's insurance limiter) rather than refusing or waving everything through. On SQLite, a single
// box, the counts are in the process's memory.

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

/** The table the counts are kept in on PostgreSQL (a Prisma model, so migrations create it). */
const TABLE = "RateLimit";

type Store = { url: string; pool: pg.Pool | null; limiters: Map<string, RateLimiterAbstract> };
const globalForLimits = globalThis as unknown as { apiledgerRateLimits?: Store };

function store(): Store {
  const url = databaseUrl();
  let current = globalForLimits.apiledgerRateLimits;
  if (!current || current.url !== url) {
    void current?.pool?.end();
    // A few connections of its own: a count is one statement, and it must not wait behind a write. A
    // database that does not answer within two seconds counts as down (the memory count takes over).
    const postgres = providerOf(url) === "postgres" ? libpqUrl(url) : null;
    const pool = postgres
      ? new pg.Pool({
          connectionString: postgres.url,
          max: 3,
          connectionTimeoutMillis: 2000,
          statement_timeout: 2000,
          query_timeout: 3000,
        })
      : null;
    // An idle connection that drops (the database restarted) is replaced by the pool; never a crash.
    pool?.on("error", () => {});
    current = { url, pool, limiters: new Map() };
    globalForLimits.apiledgerRateLimits = current;
  }
  return current;
}

/** One limiter per kind of count and limit (a changed setting gets a limiter of its own). */
function limiter(kind: string, perMinute: number): RateLimiterAbstract {
  const { pool, limiters } = store();
  const name = `${kind}:${perMinute}`;
  let found = limiters.get(name);
  if (!found) {
    const options = { keyPrefix: name, points: perMinute, duration: 60 };
    found = pool
      ? new RateLimiterPostgres({
          ...options,
          storeClient: pool,
          storeType: "pool",
          tableName: TABLE,
          tableCreated: true,
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options);
    limiters.set(name, found);
  }
  return found;
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** Takes one request from the caller's count; over the limit, says how many seconds until the next one. */
async function take(kind: string, key: string, perMinute: number): Promise<Limited> {
  try {
    await limiter(kind, perMinute).consume(key);
    return { ok: true };
  } catch (rejected) {
    if (rejected instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: retryAfter(rejected) };
    throw rejected;
  }
}

/** Whether the caller's count has a request left, without taking it. */
async function peek(kind: string, key: string, perMinute: number): Promise<Limited> {
  const res = await limiter(kind, perMinute).get(key);
  return !res || res.consumedPoints < perMinute ? { ok: true } : { ok: false, retryAfterSeconds: retryAfter(res) };
}

/** A token's (or signed-in person's) REST requests against APILEDGER_API_RATE_PER_MINUTE. */
export function takeRequest(key: string, perMinute = ratePerMinute()): Promise<Limited> {
  return take("caller", key, perMinute);
}

/** A source address's pre-authentication checks: its request rate, and its failed-authentication cap if set. */
export async function takeAddressRequest(address: string): Promise<Limited> {
  const cap = authFailuresPerMinute();
  if (cap) {
    const failures = await peek("auth-failures", address, cap);
    if (!failures.ok) return failures;
  }
  return take("address", address, addressRatePerMinute());
}

/** Counts a failed authentication from an address against APILEDGER_AUTH_FAILURES_PER_MINUTE. */
export async function noteAuthFailure(address: string): Promise<void> {
  const cap = authFailuresPerMinute();
  if (cap) await take("auth-failures", address, cap);
}

export function rateLimited(limit: { retryAfterSeconds: number }): AppError {
  return Object.assign(new AppError("RATE_LIMITED", `Too many requests; try again in ${limit.retryAfterSeconds} s.`), {
    retryAfter: limit.retryAfterSeconds,
  });
}

/** Tests only: forget every count this process keeps, and its connections. */
export async function resetRateLimits(): Promise<void> {
  const current = globalForLimits.apiledgerRateLimits;
  globalForLimits.apiledgerRateLimits = undefined;
  await current?.pool?.end();
}
