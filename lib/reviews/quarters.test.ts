import { describe, expect, it } from "vitest";
import { parseQuarter, previousQuarters, quarterChoices, quarterOf } from "@/lib/reviews/quarters";

const ymd = (d: Date) => d.toISOString().slice(0, 10);

describe("review quarters", () => {
  it("calendar quarters by default, due a set number of days after the quarter ends", () => {
    const q = parseQuarter("2026-Q4", 1, 14)!;
    expect([ymd(q.startsOn), ymd(q.endsOn), ymd(q.dueOn)]).toEqual(["2026-10-01", "2026-12-31", "2027-01-14"]);
    const q1 = parseQuarter("2026-Q1", 1, 0)!;
    expect([ymd(q1.startsOn), ymd(q1.endsOn)]).toEqual(["2026-01-01", "2026-03-31"]);
  });
  it("financial-year quarters when the year starts in July", () => {
    const q = parseQuarter("2026-Q1", 7, 14)!;
    expect([ymd(q.startsOn), ymd(q.endsOn)]).toEqual(["2026-07-01", "2026-09-30"]);
    const q4 = parseQuarter("2026-Q4", 7, 14)!;
    expect([ymd(q4.startsOn), ymd(q4.endsOn)]).toEqual(["2027-04-01", "2027-06-30"]);
  });
  it("finds the quarter of a date", () => {
    expect(quarterOf(new Date("2026-11-22T10:00:00Z"), 1, 14).label).toBe("2026-Q4");
    expect(quarterOf(new Date("2026-11-22T10:00:00Z"), 7, 14).label).toBe("2026-Q2");
    expect(quarterOf(new Date("2027-02-01T00:00:00Z"), 7, 14).label).toBe("2026-Q3");
  });
  it("refuses malformed labels and lists earlier quarters", () => {
    expect(parseQuarter("2026-Q5", 1, 14)).toBeNull();
    expect(parseQuarter("Q4 2026", 1, 14)).toBeNull();
    expect(previousQuarters("2026-Q2", 3)).toEqual(["2025-Q3", "2025-Q4", "2026-Q1"]);
  });
  it("offers the four quarters before the current one, the current one and the next two, across years", () => {
    expect(quarterChoices("2026-Q4")).toEqual([
      "2025-Q4",
      "2026-Q1",
      "2026-Q2",
      "2026-Q3",
      "2026-Q4",
      "2027-Q1",
      "2027-Q2",
    ]);
  });
});
