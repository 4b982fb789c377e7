import { describe, expect, it } from "vitest";
import { unreadable } from "@/lib/input/unreadable";
import { parseTrafficBatch } from "@/lib/rest/event-batch";

const encode = (text: string) => new TextEncoder().encode(text);

describe("a traffic source's body", () => {
  it("one record per line sent as application/json (Fluent Bit's json_lines before 3.0) is read as NDJSON", async () => {
    const lines = '{"a":1}\n{"a":2}\nnot json\n';
    expect(await parseTrafficBatch("application/json", encode(lines))).toEqual([
      { a: 1 },
      { a: 2 },
      unreadable("line 3 is not valid JSON", "not json"),
    ]);
  });

  it("a JSON value stays one value, and a broken one-line body is still refused", async () => {
    expect(await parseTrafficBatch("application/json", encode('[{"a":1}]\n'))).toEqual([{ a: 1 }]);
    await expect(parseTrafficBatch("application/json", encode('{"a":'))).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
