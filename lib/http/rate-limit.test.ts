import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { noteAuthFailure, resetRateLimits, takeAddressRequest, takeRequest } from "@/lib/http/rate-limit";

// On SQLite (no DATABASE_URL here) the counts are in this process's memory; the PostgreSQL store, shared
// by instances, is in rate-limit.integration.test.ts.
describe("request limits in one process", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-12-06T10:00:00Z") });
  });
  afterEach(async () => {
    vi.useRealTimers();
    delete process.env.APILEDGER_ADDRESS_RATE_PER_MINUTE;
    delete process.env.APILEDGER_AUTH_FAILURES_PER_MINUTE;
    await resetRateLimits();
  });

  it("refuses an address over APILEDGER_ADDRESS_RATE_PER_MINUTE with a Retry-After, others unaffected, free again after the minute", async () => {
    process.env.APILEDGER_ADDRESS_RATE_PER_MINUTE = "3";
    for (let i = 0; i < 3; i++) expect(await takeAddressRequest("198.51.100.1")).toEqual({ ok: true });
    vi.advanceTimersByTime(20_000);
    expect(await takeAddressRequest("198.51.100.1")).toEqual({ ok: false, retryAfterSeconds: 40 });
    expect(await takeAddressRequest("198.51.100.2")).toEqual({ ok: true });
    vi.advanceTimersByTime(40_000);
    expect(await takeAddressRequest("198.51.100.1")).toEqual({ ok: true });
  });

  it("with APILEDGER_AUTH_FAILURES_PER_MINUTE, an address's failures stop its further attempts", async () => {
    process.env.APILEDGER_AUTH_FAILURES_PER_MINUTE = "2";
    await noteAuthFailure("198.51.100.3");
    expect((await takeAddressRequest("198.51.100.3")).ok).toBe(true);
    await noteAuthFailure("198.51.100.3");
    expect(await takeAddressRequest("198.51.100.3")).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect((await takeAddressRequest("198.51.100.4")).ok).toBe(true);
    // Without the setting, failures are not capped.
    delete process.env.APILEDGER_AUTH_FAILURES_PER_MINUTE;
    expect((await takeAddressRequest("198.51.100.3")).ok).toBe(true);
  });

  it("counts each token on its own, and a changed limit applies at once", async () => {
    for (let i = 0; i < 5; i++) expect((await takeRequest("token-a", 5)).ok).toBe(true);
    expect((await takeRequest("token-a", 5)).ok).toBe(false);
    expect((await takeRequest("token-b", 5)).ok).toBe(true);
    expect((await takeRequest("token-a", 10)).ok).toBe(true);
  });
});
