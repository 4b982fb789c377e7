import { describe, expect, it } from "vitest";
import {
  displayPrefix,
  generateTokenSecret,
  hashToken,
  isWellFormedToken,
  TOKEN_PATTERN,
} from "@/lib/tokens/token-secret";

describe("token secrets", () => {
  it("have the scanner-friendly shape and a valid checksum, and differ every time", () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    expect(a).toMatch(TOKEN_PATTERN);
    expect(a).not.toBe(b);
    expect(isWellFormedToken(a)).toBe(true);
    expect(displayPrefix(a)).toBe(a.slice(0, 10));
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rejects a token with one character changed, a wrong prefix or a wrong length", () => {
    const a = generateTokenSecret();
    const flipped = a.slice(0, 12) + (a[12] === "x" ? "y" : "x") + a.slice(13);
    expect(isWellFormedToken(flipped)).toBe(false);
    expect(isWellFormedToken(`ghp_${a.slice(4)}`)).toBe(false);
    expect(isWellFormedToken(a.slice(0, -1))).toBe(false);
    expect(isWellFormedToken("")).toBe(false);
  });
});
