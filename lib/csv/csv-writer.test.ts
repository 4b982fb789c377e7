import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { csvCell, csvLine } from "@/lib/csv/csv-writer";

describe("CSV", () => {
  it("quotes separators, quotes and newlines", () => {
    expect(csvLine(["a,b", 'say "hi"', "two\nlines", null, ["x", "y"]])).toBe(
      '"a,b","say ""hi""","two\nlines",,x; y\r\n',
    );
  });
  it("defuses every spreadsheet formula prefix in text, and a parser reads back the apostrophe and the rest unchanged", () => {
    const hostile = [
      '=HYPERLINK("http://evil","x")',
      "+1",
      "-2+3",
      "@SUM(A1)",
      "\tcmd",
      "\r=1+1",
      "=cmd|' /C calc'!A0",
    ];
    const line = csvLine(hostile);
    const [cells] = parse(line) as string[][];
    expect(cells).toEqual(hostile.map((h) => `'${h}`));
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a=b")).toBe("a=b");
  });
  it("writes numbers and booleans as they are (a negative number is not a formula)", () => {
    expect(csvLine([-2, 0, true, false, null])).toBe("-2,0,true,false,\r\n");
  });
  it("quotes a cell that starts with white space, which tools would trim", () => {
    expect(csvCell(" x")).toBe('" x"');
  });
});
