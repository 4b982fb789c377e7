import "server-only";

// Per-caller token buckets, in the memory of this server process: each token (or signed-in person)
// may make APILEDGER_API_RATE_PER_MINUTE requests a minute, in bursts up to the same number.
const buckets = new Map<string, { tokens: number; at: number }>();

export function ratePerMinute(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.APILEDGER_API_RATE_PER_MINUTE ?? 600);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 600;
}

/** Takes one request from the caller's bucket; when empty, says how many seconds until the next one. */
export function takeRequest(key: string, perMinute = ratePerMinute(), now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
  const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
  bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
  bucket.at = now;
  buckets.set(key, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { ok: true };
  }
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - bucket.tokens) / perMinute) * 60)) };
}

/** Tests only: forget every bucket. */
export function resetRateLimits(): void {
  buckets.clear();
}
