import { afterEach, describe, expect, it } from "vitest";
import { noteAuthFailure, resetRateLimits, takeAddressRequest } from "@/lib/http/rate-limit";

describe("per-address limits before authentication", () => {
  afterEach(() => {
    delete process.env.APILEDGER_ADDRESS_RATE_PER_MINUTE;
    delete process.env.APILEDGER_AUTH_FAILURES_PER_MINUTE;
    resetRateLimits();
  });

  it("refuses an address over APILEDGER_ADDRESS_RATE_PER_MINUTE with a Retry-After, others unaffected, refilled over time", () => {
    process.env.APILEDGER_ADDRESS_RATE_PER_MINUTE = "3";
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) expect(takeAddressRequest("198.51.100.1", t)).toEqual({ ok: true });
    expect(takeAddressRequest("198.51.100.1", t)).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(takeAddressRequest("198.51.100.2", t)).toEqual({ ok: true });
    expect(takeAddressRequest("198.51.100.1", t + 20_000)).toEqual({ ok: true });
  });

  it("with APILEDGER_AUTH_FAILURES_PER_MINUTE, an address's failures stop its further attempts", () => {
    process.env.APILEDGER_AUTH_FAILURES_PER_MINUTE = "2";
    const t = 2_000_000;
    noteAuthFailure("198.51.100.3", t);
    expect(takeAddressRequest("198.51.100.3", t).ok).toBe(true);
    noteAuthFailure("198.51.100.3", t);
    expect(takeAddressRequest("198.51.100.3", t)).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(takeAddressRequest("198.51.100.4", t).ok).toBe(true);
    // Without the setting, failures are not capped.
    delete process.env.APILEDGER_AUTH_FAILURES_PER_MINUTE;
    expect(takeAddressRequest("198.51.100.3", t).ok).toBe(true);
  });
});
