// The sources list's rates from minute rows: each row in its place in the hour, edges of the window, and
// sources that sent nothing.
import { describe, expect, it } from "vitest";
import { RATE_MINUTES, ratesOf } from "@/lib/traffic/source-minutes";

const now = new Date("2026-12-05T10:30:42.500Z");
const minute = (ago: number) => new Date(Date.UTC(2026, 11, 5, 10, 30 - ago));
const row = (sourceId: string, ago: number, received: number, more: Partial<Record<string, number>> = {}) => ({
  sourceId,
  minute: minute(ago),
  received,
  stored: 0,
  quarantined: 0,
  duplicates: 0,
  ...more,
});

describe("ratesOf", () => {
  it("puts each minute in its place, the current one last, and sums the hour", () => {
    const rates = ratesOf(
      [
        row("a", 0, 5, { stored: 4, quarantined: 1 }),
        row("a", 2, 7, { stored: 3, duplicates: 4 }),
        row("a", RATE_MINUTES - 1, 3, { stored: 3 }),
        row("b", 10, 60, { stored: 60 }),
      ],
      ["a", "b", "quiet"],
      now,
    );
    const a = rates.get("a")!;
    expect(a.perMinute).toHaveLength(RATE_MINUTES);
    expect(a.perMinute[RATE_MINUTES - 1]).toBe(5);
    expect(a.perMinute[RATE_MINUTES - 3]).toBe(7);
    expect(a.perMinute[0]).toBe(3);
    expect(a).toMatchObject({
      receivedLastHour: 15,
      storedLastHour: 10,
      quarantinedLastHour: 1,
      duplicatesLastHour: 4,
      receivedPerMinute: 15 / 60,
    });
    expect(rates.get("b")).toMatchObject({ receivedLastHour: 60, receivedPerMinute: 1 });
    expect(rates.get("quiet")).toMatchObject({ receivedLastHour: 0, receivedPerMinute: 0 });
    expect(rates.get("quiet")!.perMinute.every((n) => n === 0)).toBe(true);
  });

  it("leaves out minutes before the hour, after now, and sources not asked for", () => {
    const rates = ratesOf(
      [row("a", RATE_MINUTES, 100), row("a", -1, 100), row("other", 0, 100), row("a", 1, 2)],
      ["a"],
      now,
    );
    expect(rates.get("a")).toMatchObject({ receivedLastHour: 2 });
    expect(rates.has("other")).toBe(false);
  });
});
