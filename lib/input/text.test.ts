import { describe, expect, it } from "vitest";
import { cleanInput, cleanText, nameProblem, stripRefused, textProblem } from "@/lib/input/text";
import { AppError } from "@/lib/errors";

// The hostile classes every input boundary is attacked with (lib/input/hostile.ts reuses the idea).
const REFUSED = {
  "lone high surrogate": "a\uD800b",
  "lone low surrogate": "\uDC00b",
  "high surrogate at the end": "abc\uDBFF",
  NUL: "svc\u0000gl",
  "C0 control": "bell\u0007",
  "C1 control (NEL)": "next\u0085line",
  DEL: "x\u007F",
  "right-to-left override": "invoice\u202Egpj.exe",
  "left-to-right embedding": "\u202Aname",
  "first-strong isolate": "a\u2068b\u2069",
};
const KEPT = {
  ascii: "Payments gateway",
  "emoji (a proper surrogate pair)": "Deploys 🚀",
  "tab and line breaks": "line one\r\n\tline two",
  "right-to-left text with a mark": "שלום\u200F world",
  "formula prefix (defused on CSV output, not here)": '=HYPERLINK("http://x")',
  html: "<script>alert(1)</script>",
};

describe("the outside-text rule", () => {
  it.each(Object.entries(REFUSED))("refuses %s", (_name, value) => {
    expect(textProblem(value)).toMatch(/contains/);
    expect(cleanText(value).ok).toBe(false);
  });

  it.each(Object.entries(KEPT))("keeps %s", (_name, value) => {
    expect(textProblem(value)).toBeNull();
    expect(cleanText(value)).toEqual({ ok: true, value: value.normalize("NFC") });
  });

  it("normalises to NFC, but never a secret", () => {
    const decomposed = "Re\u0301sume\u0301";
    expect(cleanText(decomposed)).toEqual({ ok: true, value: "Résumé" });
    expect(cleanText(decomposed, { secret: true })).toEqual({ ok: true, value: decomposed });
  });

  it("names also refuse line breaks, direction marks and invisible characters", () => {
    expect(nameProblem("Payments API")).toBeNull();
    expect(nameProblem("Pay\u200Bments")).toMatch(/invisible/);
    expect(nameProblem("Pay\u200Fments")).toMatch(/bidirectional/);
    expect(nameProblem("two\nlines")).toMatch(/one line/);
    expect(nameProblem("x\uD800")).toMatch(/surrogate/);
  });

  it("strips refused characters from values that only narrow a read", () => {
    expect(stripRefused("pay\u0000ments\uD800")).toBe("payments");
    expect(stripRefused("Deploys 🚀")).toBe("Deploys 🚀");
  });

  it("cleans structured input: every string and key checked, errors by dotted path, secrets not normalised", () => {
    expect(
      cleanInput({ name: "Cafe\u0301", tags: ["a", "e\u0301"], password: "e\u0301", n: 3, ok: true, none: null }),
    ).toEqual({
      name: "Café",
      tags: ["a", "é"],
      password: "e\u0301",
      n: 3,
      ok: true,
      none: null,
    });
    let error: unknown;
    try {
      cleanInput({
        name: "a\u0000",
        environments: [{ name: "prod", baseUrl: "https://x/\uD800" }],
        ["bad\u0000key"]: 1,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("VALIDATION");
    expect((error as AppError).fieldErrors).toEqual({
      name: ["Name contains a NUL character."],
      "environments.0.baseUrl": ["Base url contains an invalid character (a lone UTF-16 surrogate)."],
      "(key)": ["A field name contains a NUL character."],
    });
  });

  it("refuses input nested deeper than any form, without walking it all", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => cleanInput(deep)).toThrow(/nested more than/);
  });
});

describe("shared values (YAML aliases)", () => {
  it("walks an object reached many times once, so an alias bomb costs what its text costs", () => {
    let node: unknown = ["x"];
    for (let i = 0; i < 60; i++) node = [node, node];
    // 2^60 paths: walked as a tree this would never finish.
    const cleaned = cleanInput({ bomb: node }, { maxDepth: 100 }) as { bomb: unknown[] };
    expect(cleaned.bomb[0]).toBe(cleaned.bomb[1]);
  });
});
