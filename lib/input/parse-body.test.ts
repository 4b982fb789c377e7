import { describe, expect, it } from "vitest";
import { unreadableOf } from "@/lib/input/unreadable";
import { jsonBoundsProblem } from "@/lib/input/json-bounds";
import { WORKER_THRESHOLD, parseJsonBounded, parseNdjsonBounded, parseYamlDocuments } from "@/lib/input/parse-body";

describe("bounded JSON", () => {
  it("counts depth and elements outside strings only", () => {
    expect(jsonBoundsProblem('{"a":[1,2,{"b":"[[[[,,,,"}]}', 3, 10)).toBeNull();
    expect(jsonBoundsProblem('{"a":[1,2,{"b":"x"}]}', 2, 10)).toBe("nested deeper than 2 levels");
    expect(jsonBoundsProblem("[1,2,3,4]", 5, 3)).toBe("more than 3 elements");
    expect(jsonBoundsProblem('["\\"[[[["]', 1, 5)).toBeNull();
  });

  it("refuses a deeply nested body small or large, in the caller's thread or a worker", async () => {
    await expect(parseJsonBounded("[".repeat(100) + "]".repeat(100))).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("nested deeper than 32"),
    });
    const big = "[".repeat(WORKER_THRESHOLD) + "]".repeat(WORKER_THRESHOLD);
    await expect(parseJsonBounded(big)).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("nested deeper than 32"),
    });
  });

  it("parses large bodies in a worker with the same results and errors", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ i, name: `event ${i}` }));
    const text = JSON.stringify(rows);
    expect(text.length).toBeGreaterThan(WORKER_THRESHOLD);
    expect(await parseJsonBounded(text)).toEqual(rows);
    await expect(parseJsonBounded(text + "x")).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^The request body is not valid JSON/),
    });
    const lines = rows.map((r) => JSON.stringify(r)).join("\n");
    expect(await parseNdjsonBounded(lines)).toEqual(rows);
    await expect(parseNdjsonBounded(lines + "\n{oops")).rejects.toMatchObject({
      message: "Line 20001 is not valid JSON; nothing was stored.",
    });
    await expect(parseNdjsonBounded('{"a":1}\n{oops')).rejects.toMatchObject({
      message: "Line 2 is not valid JSON; nothing was stored.",
    });
  });

  it("returns each of several large bodies parsed at once whole and to its own caller (values come back in slices)", async () => {
    const bodies = [1, 2, 3, 4].map((n) =>
      Array.from({ length: 3_000 + n * 1_111 }, (_, i) => ({ n, i, pad: "p".repeat(60) })),
    );
    const parsed = await Promise.all(
      bodies.map((rows, n) =>
        n % 2
          ? parseNdjsonBounded(rows.map((r) => JSON.stringify(r)).join("\n"))
          : parseJsonBounded(JSON.stringify(rows)),
      ),
    );
    parsed.forEach((value, n) => expect(value).toEqual(bodies[n]));
  });

  it("takes a body as the bytes it arrived in, refusing bytes that are not UTF-8 in or out of a worker", async () => {
    const rows = Array.from({ length: 8_000 }, (_, i) => ({ i, name: `évènement ${i}` }));
    const bytes = new TextEncoder().encode(JSON.stringify(rows));
    expect(bytes.length).toBeGreaterThan(WORKER_THRESHOLD);
    expect(await parseJsonBounded(bytes)).toEqual(rows);
    expect(await parseJsonBounded(new TextEncoder().encode('{"a":"é"}'))).toEqual({ a: "é" });
    const broken = Uint8Array.from([...bytes.subarray(0, 1000), 0xc3, 0x28, ...bytes.subarray(1000)]);
    for (const body of [broken, Uint8Array.from([0x7b, 0xff, 0x7d])]) {
      await expect(parseJsonBounded(body)).rejects.toMatchObject({ message: "The request body is not UTF-8 text." });
      await expect(parseNdjsonBounded(body)).rejects.toMatchObject({ message: "The request body is not UTF-8 text." });
      expect(await parseYamlDocuments(body)).toEqual({ docs: [], error: "The request body is not UTF-8 text." });
    }
  });

  it("parses YAML streams the same way in and out of a worker", async () => {
    const doc = (i: number) => `---\nkind: API\nmetadata:\n  name: api-${i}\n  description: "${"x".repeat(40)}"\n`;
    const small = doc(1) + doc(2);
    expect((await parseYamlDocuments(small)).docs).toHaveLength(2);
    const large = Array.from({ length: 5000 }, (_, i) => doc(i)).join("");
    expect(large.length).toBeGreaterThan(WORKER_THRESHOLD);
    const parsed = await parseYamlDocuments(large);
    expect(parsed.docs).toHaveLength(5000);
    expect(parsed.docs[4999]).toMatchObject({ kind: "API", metadata: { name: "api-4999" } });
    expect((await parseYamlDocuments(large + "---\n: : [")).error).toMatch(/^The file is not valid YAML/);
    expect((await parseYamlDocuments("a: [")).error).toMatch(/^The file is not valid YAML/);
  });
});

describe("NDJSON for a lenient traffic source (keep)", () => {
  it("bounds each line on its own: a broken line changes nothing for the next, a deep one is kept as unreadable", async () => {
    const deep = `${"[".repeat(40)}${"]".repeat(40)}`;
    const lines = ['{"a":"unterminated', deep, '{"ok":1}', '{"a":{"b":', '{"a":{"b":', '{"ok":2}'];
    for (const body of [lines.join("\n"), Buffer.from(`${lines.join("\n")}\n${" ".repeat(WORKER_THRESHOLD)}`)]) {
      const values = (await parseNdjsonBounded(body, { maxDepth: 16, maxElements: 1000 }, "keep")) as Record<
        string,
        unknown
      >[];
      expect(values.map((v) => v.ok ?? unreadableOf(v)?.reason)).toEqual([
        "line 1 is not valid JSON",
        "line 2 is nested deeper than 16 levels",
        1,
        "line 4 is not valid JSON",
        "line 5 is not valid JSON",
        2,
      ]);
    }
    // Without keep, the same body is refused whole.
    await expect(parseNdjsonBounded(lines.join("\n"), { maxDepth: 16, maxElements: 1000 })).rejects.toThrow();
  });
});
