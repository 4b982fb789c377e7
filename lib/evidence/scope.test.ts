import { describe, expect, it } from "vitest";
import { resolveScope } from "@/lib/evidence/scope";

const ok = (raw: unknown, startMonth = 1) => {
  const r = resolveScope(raw, startMonth);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scope;
};
const errors = (raw: unknown) => {
  const r = resolveScope(raw, 1);
  if (r.ok) throw new Error("expected the scope to be refused");
  return r.errors;
};

describe("evidence scope", () => {
  it("reads quarters in the installation's convention, years and date ranges as [from, to)", () => {
    expect(ok({ period: "2026-q4" })).toMatchObject({
      period: "2026-Q4",
      from: new Date("2026-10-01T00:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
    });
    // Financial years starting in July: 2026-Q4 is April–June 2027.
    expect(ok({ period: "2026-Q4" }, 7)).toMatchObject({
      from: new Date("2027-04-01T00:00:00Z"),
      to: new Date("2027-07-01T00:00:00Z"),
    });
    expect(ok({ period: "2025" })).toMatchObject({
      from: new Date("2025-01-01T00:00:00Z"),
      to: new Date("2026-01-01T00:00:00Z"),
    });
    expect(ok({ period: "2026-11-01..2026-11-01" })).toMatchObject({
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-02T00:00:00Z"),
    });
  });

  it("means all six controls when none are named, and keeps the catalog order otherwise", () => {
    expect(ok({ period: "2026" }).controls).toEqual([
      "ism-1818",
      "ism-2013",
      "ism-1817",
      "ism-2014",
      "ism-1910",
      "ism-2015",
    ]);
    expect(ok({ period: "2026", controls: ["ISM-2015", "ism-2013"] }).controls).toEqual(["ism-2013", "ism-2015"]);
  });

  it("refuses an end before the start, impossible dates, unknown controls and unknown fields, each clearly", () => {
    expect(errors({ period: "2026-12-31..2026-10-01" }).period![0]).toMatch(
      /ends \(2026-10-01\) before it starts \(2026-12-31\)/,
    );
    expect(errors({ period: "2026-02-30..2026-03-01" }).period![0]).toMatch(/YYYY-MM-DD/);
    expect(errors({ period: "last quarter" }).period![0]).toMatch(/is not a period/);
    expect(errors({ period: "2026", controls: ["ism-9999", "ism-2013"] }).controls![0]).toBe(
      "Unknown control: ism-9999. Use ism-1818, ism-2013, ism-1817, ism-2014, ism-1910, ism-2015.",
    );
    expect(Object.keys(errors({ period: "2020-01-01..2026-01-01" }))).toEqual(["period"]);
    expect(errors({ period: "2026", format: "zip" })).toHaveProperty("scope");
  });
});
