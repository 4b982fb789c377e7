// SQLite keeps times as text; the driver read must turn each stored form into the instant the model client reads.
import { describe, expect, it } from "vitest";
import { sqliteDate } from "@/lib/db/driver-read";

describe("sqliteDate", () => {
  it.each([
    ["2026-12-07T06:30:00.123+00:00", "2026-12-07T06:30:00.123Z"], // Prisma's own form
    ["2026-12-07T06:30:00.123Z", "2026-12-07T06:30:00.123Z"],
    ["2026-12-07T16:30:00+10:00", "2026-12-07T06:30:00.000Z"],
    ["2026-12-07 06:30:00", "2026-12-07T06:30:00.000Z"], // CURRENT_TIMESTAMP: UTC, not local time
    ["2026-12-07T06:30:00", "2026-12-07T06:30:00.000Z"], // no zone: UTC, as the model client reads it
    ["2026-12-07", "2026-12-07T00:00:00.000Z"],
    [1_796_625_000_000, "2026-12-07T06:30:00.000Z"], // epoch milliseconds
  ])("reads %s as %s", (stored, instant) => {
    const zone = process.env.TZ;
    process.env.TZ = "Australia/Sydney";
    try {
      expect(sqliteDate(stored)?.toISOString()).toBe(instant);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("keeps null, and an unreadable text is an Invalid Date (which the token check treats as expired)", () => {
    expect(sqliteDate(null)).toBeNull();
    expect(Number.isNaN(sqliteDate("not a time")!.getTime())).toBe(true);
  });
});
