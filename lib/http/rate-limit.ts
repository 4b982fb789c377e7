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

type Store = {
  url: string;
  pool: pg.Pool | null;
  limiters: Map<string, RateLimiterAbstract>;
  /** Shares of counts taken from the database at once (PostgreSQL only), by limiter and key. */
  leases: Map<string, Lease>;
  /** A share being taken, by limiter and key: one at a time, the other requests of the key wait for it. */
  refills: Map<string, Promise<unknown>>;
  /** When expired shares were last cleared. */
  prunedAt: number;
};
/** Points left to spend, what the database said was left, the minute's end, and whether it said no. */
type Lease = { left: number; remaining: number; until: number; refused: boolean };
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
    current = { url, pool, limiters: new Map(), leases: new Map(), refills: new Map(), prunedAt: 0 };
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

/*
 * On PostgreSQL each count is a statement, and a REST call made two (its address, then its caller). So a
 * process takes a share of a busy count at once — a 64th of what the database last said was left, at most
 * 64 — and spends it without asking again until it is used up or the minute ends. The instances together
 * never let more through than the limit (while the database answers; see the insurance limiter above);
 * what one has taken and not spent when the minute ends is lost to the others, at most a 64th of what was
 * left when it took it. A share asked beyond what was left keeps what was left; the rest stays counted
 * (given back, it could land in the next minute and count below zero there). A count with fewer than 128
 * left is taken one at a time, so small limits stay exact; failed authentications are always counted one
 * at a time, since their cap is read back (peek) and must not see points not yet spent. Requests of one key
 * wait for its one refill only while a share can be kept; past MAX_LEASED_KEYS keys (a flood from many
 * addresses) each request counts on its own, as without shares.
 */
const LEASE_SHARE = 64;
const MAX_LEASE = 64;
/** Keys whose share is kept (an unauthenticated flood from many addresses must not grow this without end). */
const MAX_LEASED_KEYS = 10_000;
const OK: Limited = { ok: true };

/** Takes one request from the caller's count; over the limit, says how many seconds until the next one. */
async function take(kind: string, key: string, perMinute: number): Promise<Limited> {
  const current = store();
  if (!current.pool) return takePoints(limiter(kind, perMinute), key, 1, perMinute, null);
  const id = `${kind}:${perMinute}\n${key}`;
  for (;;) {
    const lease = current.leases.get(id);
    const live = lease && lease.until > Date.now() ? lease : null;
    if (live && live.left > 0) {
      live.left--;
      return OK;
    }
    // The count is spent for this minute: it cannot go back under the limit before the minute ends.
    if (live?.refused)
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((live.until - Date.now()) / 1000)) };
    if (kind === "auth-failures" || !roomForLease(current, id))
      return takePoints(limiter(kind, perMinute), key, 1, perMinute, null);
    const refill = current.refills.get(id);
    if (refill) {
      await refill;
      continue;
    }
    const size = live ? Math.min(MAX_LEASE, Math.max(1, Math.floor(live.remaining / LEASE_SHARE))) : 1;
    const taking = takePoints(limiter(kind, perMinute), key, size, perMinute, (taken) =>
      current.leases.set(id, taken),
    ).finally(() => current.refills.delete(id));
    current.refills.set(id, taking);
    return taking;
  }
}

/**
 * Takes `size` points of the key's count: one for this request, the rest kept as the process's share.
 * Asked for more than was left, it keeps what was left.
 */
async function takePoints(
  limit: RateLimiterAbstract,
  key: string,
  size: number,
  perMinute: number,
  keep: ((taken: Lease) => void) | null,
): Promise<Limited> {
  try {
    const res = await limit.consume(key, size);
    keep?.({ left: size - 1, remaining: res.remainingPoints, until: Date.now() + res.msBeforeNext, refused: false });
    return OK;
  } catch (rejected) {
    if (!(rejected instanceof RateLimiterRes)) throw rejected;
    const granted = size - (rejected.consumedPoints - perMinute);
    if (granted > 0) {
      keep?.({ left: granted - 1, remaining: 0, until: Date.now() + rejected.msBeforeNext, refused: false });
      return OK;
    }
    keep?.({ left: 0, remaining: 0, until: Date.now() + rejected.msBeforeNext, refused: true });
    return { ok: false, retryAfterSeconds: retryAfter(rejected) };
  }
}

/** Whether the key has, or can be given, a share (expired shares are cleared at most once a second). */
function roomForLease(current: Store, id: string): boolean {
  if (current.leases.size < MAX_LEASED_KEYS || current.leases.has(id)) return true;
  const now = Date.now();
  if (now >= current.prunedAt + 1000) {
    current.prunedAt = now;
    for (const [k, l] of current.leases) if (l.until <= now) current.leases.delete(k);
  }
  return current.leases.size < MAX_LEASED_KEYS;
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
