import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "@/lib/mfa/factors";

// A TOTP secret at rest: sealed under the installation's key and bound to its person.
describe("sealed TOTP secrets", () => {
  const secret = "JBSWY3DPEHPK3PXP";

  it("opens for the person it was sealed for, and only them", () => {
    const sealed = sealSecret(secret, "user-a");
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(secret);
    expect(openSecret(sealed, "user-a")).toBe(secret);
    // Copied onto another person's factor, it does not open.
    expect(openSecret(sealed, "user-b")).toBeNull();
    // Two seals of the same secret differ (a fresh nonce each time).
    expect(sealSecret(secret, "user-a")).not.toBe(sealed);
  });

  it("refuses tampered, truncated and short-tag seals", () => {
    const sealed = sealSecret(secret, "user-a");
    const raw = Buffer.from(sealed.slice(3), "base64url");
    const flipped = Buffer.from(raw);
    flipped[flipped.length - 1]! ^= 1;
    expect(openSecret(`v1:${flipped.toString("base64url")}`, "user-a")).toBeNull();
    expect(openSecret(`v1:${raw.subarray(0, 20).toString("base64url")}`, "user-a")).toBeNull();
    // The same bytes with a 4-byte tag: not accepted as a shorter tag.
    const short = Buffer.concat([raw.subarray(0, 16), raw.subarray(28)]);
    expect(openSecret(`v1:${short.toString("base64url")}`, "user-a")).toBeNull();
  });
});
