import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "@/lib/csv";

describe("CSV", () => {
  it("quotes separators, quotes and newlines", () => {
    expect(csvLine(["a,b", 'say "hi"', "two\nlines", null, ["x", "y"]])).toBe('"a,b","say ""hi""","two\nlines",,x; y\r\n');
  });
  it("defuses spreadsheet formulas", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    expect(csvCell("+61 2 1234")).toBe("'+61 2 1234");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("plain")).toBe("plain");
  });
});
