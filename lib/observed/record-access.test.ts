import { describe, expect, it } from "vitest";
import { dayTotals } from "@/lib/observed/record-access";

describe("a batch's day totals", () => {
  it("counts each UTC day and outcome once: the last millisecond of a day in that day, an offset time by its UTC day", () => {
    const at = (iso: string) => new Date(iso);
    const totals = dayTotals([
      { at: at("2026-12-04T23:59:59.999Z"), outcome: "success" },
      { at: at("2026-12-05T00:00:00.000Z"), outcome: "success" },
      { at: at("2026-12-05T10:00:00.000+10:00"), outcome: "success" },
      { at: at("2026-12-05T12:00:00.000Z"), outcome: "authn_failure" },
      { at: at("2026-12-05T23:59:59.999Z"), outcome: "success" },
    ]);
    expect(totals.toSorted()).toEqual(
      [
        ["2026-12-04", "success", 1],
        ["2026-12-05", "success", 3],
        ["2026-12-05", "authn_failure", 1],
      ].toSorted(),
    );
  });

  it("gives nothing for no events, and keeps days before 1970 apart", () => {
    expect(dayTotals([])).toEqual([]);
    expect(dayTotals([{ at: new Date("1969-12-31T12:00:00Z"), outcome: "success" }])).toEqual([
      ["1969-12-31", "success", 1],
    ]);
  });
});
