import { describe, expect, it } from "vitest";
import { acceptsGzip, directReadsOn } from "@/lib/server/direct-reads";

describe("acceptsGzip (Accept-Encoding, RFC 9110 §12.5.3)", () => {
  it("takes gzip when it is named or covered by * with a quality above zero", () => {
    for (const header of ["gzip", "GZIP", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "*", "deflate, *;q=0.1"])
      expect(acceptsGzip(header), header).toBe(true);
  });
  it("does not when gzip is refused, absent, or only * is refused", () => {
    for (const header of [undefined, "", "identity", "deflate, br", "gzip;q=0", "gzip; q=0, *", "*;q=0", "x-gzip2"])
      expect(acceptsGzip(header), String(header)).toBe(false);
  });
});

describe("APILEDGER_DIRECT_READS", () => {
  it("is on unless set to off, and any other value stops the start in words", () => {
    expect(directReadsOn(undefined)).toBe(true);
    expect(directReadsOn("")).toBe(true);
    expect(directReadsOn(" On ")).toBe(true);
    expect(directReadsOn("off")).toBe(false);
    for (const wrong of ["0", "false", "no", "of", "off\u0000"])
      expect(() => directReadsOn(wrong), wrong).toThrow(/must be "on" or "off"/);
  });
});
