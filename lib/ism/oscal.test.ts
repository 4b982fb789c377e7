import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffCatalogs, parseOscalCatalog } from "@/lib/ism/oscal";

const DATA = path.resolve("../shared/data/ism");
const read = (name: string) => fs.readFileSync(path.join(DATA, name));

describe("OSCAL catalog import (ASD's real releases)", () => {
  const sep = parseOscalCatalog(read("ISM_catalog-2025.09.json"));
  const dec = parseOscalCatalog(read("ISM_catalog-2025.12.json"));

  it("reads release metadata and every control", () => {
    expect(dec.release).toBe("2025.12.9");
    expect(dec.oscalVersion).toBe("1.1.2");
    expect(dec.controls).toHaveLength(1107);
    expect(sep.controls).toHaveLength(1092);
  });

  it("keeps the official statement, revision, applicability and section of ISM-2013", () => {
    const c = dec.controls.find((x) => x.controlId === "ism-2013")!;
    expect(c.statement).toMatch(
      /^Authentication and authorisation of clients is performed when clients call network APIs that facilitate modification of data but are not accessible over the internet\.$/,
    );
    expect(c.revision).toBe("0");
    expect(c.applicability).toEqual(["NC", "OS", "P", "S", "TS"]);
    expect(c.section).toBe(
      "Guidelines for software development › Software development fundamentals › Network application programming interfaces",
    );
  });

  it("finds what changed from 2025.09 to 2025.12, relevant controls first", () => {
    const diff = diffCatalogs(sep.controls, dec.controls, new Set(["ism-2014", "ism-2075"]));
    expect(diff.added).toHaveLength(21);
    expect(diff.removed.map((c) => c.controlId)).toEqual([
      "ism-0241",
      "ism-1075",
      "ism-1092",
      "ism-1225",
      "ism-1226",
      "ism-1923",
    ]);
    expect(diff.revised).toHaveLength(90);
    expect(diff.added[0]!.controlId).toBe("ism-2075");
    expect(diff.revised.every((r) => r.changes.length > 0)).toBe(true);
    expect(diffCatalogs(dec.controls, dec.controls)).toEqual({ added: [], removed: [], revised: [] });
  });

  it("refuses files that are not an OSCAL catalog, saying why", () => {
    expect(() => parseOscalCatalog("not json")).toThrow(/not JSON/);
    expect(() => parseOscalCatalog(JSON.stringify({ hello: "world" }))).toThrow(/not an OSCAL catalog/);
    expect(() => parseOscalCatalog(read("ISM_PROTECTED-baseline_profile-2025.12.json"))).toThrow(/OSCAL profile/);
    const empty = {
      catalog: {
        uuid: "x",
        metadata: { title: "t", version: "1", "last-modified": "x", "oscal-version": "1.1.2" },
        groups: [],
      },
    };
    expect(() => parseOscalCatalog(JSON.stringify(empty))).toThrow(/no controls/);
    expect(() => parseOscalCatalog(new Uint8Array([0xff, 0xfe, 0x00]))).toThrow(/not JSON/);
  });
});

describe("a hostile catalog", () => {
  it("is refused with where the bad text is, when a control's statement hides a lone surrogate (JSON escapes reach past UTF-8 decoding)", () => {
    const text = read("ISM_catalog-2025.12.json")
      .toString("utf8")
      .replace(
        "Authentication and authorisation of clients is performed",
        "Authentication\\ud800 and authorisation of clients is performed",
      );
    expect(() => parseOscalCatalog(text)).toThrow(
      /The catalog cannot be imported: at catalog\.groups\.\d+.*prose, prose contains an invalid character \(a lone UTF-16 surrogate\)/,
    );
  });
});
