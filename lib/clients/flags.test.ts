import { describe, expect, it } from "vitest";
import { grantFlags, type GrantFacts } from "@/lib/clients/flags";

const now = new Date("2026-11-22T00:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const clean: GrantFacts = {
  canModify: false,
  approvedBy: "CISO",
  credentialIssuedAt: daysAgo(10),
  credentialExpiresAt: daysAgo(-300),
  credentialRotatedAt: null,
  lastSeenAt: daysAgo(1),
};
const settings = { rotationDays: 90, notSeenDays: 90 };
const kinds = (g: Partial<GrantFacts>, sensitivity: "OFFICIAL" | "PROTECTED" | "SECRET" = "OFFICIAL") =>
  grantFlags({ ...clean, ...g }, sensitivity, settings, now).map((f) => f.kind);

describe("grant flags", () => {
  it("a well-kept grant has none", () => {
    expect(kinds({})).toEqual([]);
  });
  it("flags an expired credential", () => {
    expect(kinds({ credentialExpiresAt: daysAgo(1) })).toEqual(["EXPIRED"]);
  });
  it("flags a credential not rotated within the period, counting from the last rotation or else the issue date", () => {
    expect(kinds({ credentialIssuedAt: daysAgo(91) })).toEqual(["NOT_ROTATED"]);
    expect(kinds({ credentialIssuedAt: daysAgo(400), credentialRotatedAt: daysAgo(30) })).toEqual([]);
    expect(kinds({ credentialIssuedAt: daysAgo(89) })).toEqual([]);
    expect(
      grantFlags(
        { ...clean, credentialIssuedAt: daysAgo(40) },
        "OFFICIAL",
        { rotationDays: 30, notSeenDays: 90 },
        now,
      )[0]!.message,
    ).toBe("Not rotated for 40 days (rotation period 30 days).");
    expect(kinds({ credentialIssuedAt: null })).toEqual(["ROTATION_UNKNOWN"]);
  });
  it("flags write access to PROTECTED or higher data only", () => {
    expect(kinds({ canModify: true }, "OFFICIAL")).toEqual([]);
    expect(kinds({ canModify: true }, "PROTECTED")).toEqual(["WRITE_ON_PROTECTED"]);
    expect(kinds({ canModify: true }, "SECRET")).toEqual(["WRITE_ON_PROTECTED"]);
  });
  it("flags clients not seen for 90 days, but not when last-seen is unknown", () => {
    expect(kinds({ lastSeenAt: daysAgo(91) })).toEqual(["NOT_SEEN"]);
    expect(kinds({ lastSeenAt: null })).toEqual([]);
  });
  it("flags a grant with no approver", () => {
    expect(kinds({ approvedBy: "  " })).toEqual(["NO_APPROVER"]);
  });
});
