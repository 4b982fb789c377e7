import { describe, expect, it } from "vitest";
import { apiTrafficState, observedGrantFlags, observedLogging, type Observed } from "@/lib/observed/flags";

const NOW = new Date("2026-12-04T00:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const seen = (over: Partial<Observed> = {}): Observed => ({
  clientId: "c",
  firstAt: ago(200),
  lastAt: ago(1),
  lastSuccessAt: ago(1),
  lastWriteAt: null,
  calls: 10,
  reads: 10,
  writes: 0,
  failures: 0,
  ...over,
});
const grant = { canModify: false, credentialExpiresAt: null, grantedAt: ago(365) };
const kinds = (...args: Parameters<typeof observedGrantFlags>) => observedGrantFlags(...args).map((f) => f.kind);

describe("observed versus granted", () => {
  it("judges nothing for an API no traffic was observed for", () => {
    expect(kinds(grant, null, null, NOW)).toEqual([]);
  });

  it("an unused grant: from its last successful call, or from when observation began, never before the grant", () => {
    expect(kinds(grant, seen({ lastSuccessAt: ago(91) }), ago(200), NOW)).toEqual(["UNUSED"]);
    expect(kinds(grant, seen({ lastSuccessAt: ago(89) }), ago(200), NOW)).toEqual([]);
    expect(kinds(grant, null, ago(100), NOW)).toEqual(["UNUSED"]);
    // Observed for 100 days, but granted 10 days ago: not yet judged unused.
    expect(kinds({ ...grant, grantedAt: ago(10) }, null, ago(100), NOW)).toEqual([]);
  });

  it("write access never used for writes, but not on top of an unused grant", () => {
    const writer = { ...grant, canModify: true };
    expect(kinds(writer, seen(), ago(200), NOW)).toEqual(["WRITE_UNUSED"]);
    expect(kinds(writer, seen({ lastWriteAt: ago(5) }), ago(200), NOW)).toEqual([]);
    expect(kinds(writer, seen({ lastSuccessAt: ago(120) }), ago(200), NOW)).toEqual(["UNUSED"]);
  });

  it("a successful call after the credential expired", () => {
    const expired = { ...grant, credentialExpiresAt: ago(30) };
    expect(kinds(expired, seen({ lastSuccessAt: ago(2) }), ago(200), NOW)).toEqual(["CALLED_AFTER_EXPIRY"]);
    expect(kinds(expired, seen({ lastSuccessAt: ago(40), lastAt: ago(2) }), ago(200), NOW)).toEqual([]);
  });

  it("zombie and unused APIs by lifecycle and last call", () => {
    expect(apiTrafficState("DEPRECATED", ago(3), NOW)).toBe("ZOMBIE");
    expect(apiTrafficState("RETIRED", ago(3), NOW)).toBe("ZOMBIE");
    expect(apiTrafficState("RETIRED", ago(45), NOW)).toBeNull();
    expect(apiTrafficState("ACTIVE", ago(45), NOW)).toBe("UNUSED");
    expect(apiTrafficState("ACTIVE", ago(3), NOW)).toBeNull();
    expect(apiTrafficState("ACTIVE", null, NOW)).toBeNull();
  });
});

describe("ISM-2015 as observed", () => {
  it("says when the API's events last arrived, and warns when declared logging has gone quiet for a week", () => {
    expect(observedLogging(true, null, NOW)).toEqual({ line: expect.stringMatching(/not observed/), warning: null });
    expect(observedLogging(true, ago(2), NOW)).toEqual({
      line: "Centrally logged: observed — last event received 2026-12-02 (2 day(s) ago).",
      warning: null,
    });
    expect(observedLogging(true, ago(8), NOW).warning).toMatch(/no event has arrived for 8 days/);
    // Declared as not logged, yet its events arrive: observed, and nothing to warn about.
    expect(observedLogging(false, ago(8), NOW).warning).toBeNull();
  });
});
