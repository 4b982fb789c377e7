import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { architectureDiagram, readSources, withDiagram } from "@/lib/architecture/diagram";

const root = process.cwd();

describe("ARCHITECTURE.md", () => {
  it("shows the layers as the code has them now (run `npm run architecture` after changing them)", () => {
    const markdown = fs.readFileSync("ARCHITECTURE.md", "utf8");
    expect(withDiagram(markdown, architectureDiagram(root))).toBe(markdown);
  });

  it("the writable client has one taker, and no page or component reads the database", () => {
    const sources = readSources(root);
    expect(
      sources
        .filter((s) => s.file !== "lib/db/client.ts" && s.text.includes("writableClientForAuthorizedWrite"))
        .map((s) => s.file),
    ).toEqual(["lib/audit/authorized-write.ts"]);
    expect(
      sources
        .filter((s) => !s.file.startsWith("lib/") && s.imports.some((i) => i === "lib/db/client"))
        .map((s) => s.file),
    ).toEqual([]);
  });

  it("names only files and folders that exist", () => {
    const markdown = fs.readFileSync("ARCHITECTURE.md", "utf8") + fs.readFileSync("CONTRIBUTING.md", "utf8");
    const named = [...markdown.matchAll(/`((?:app|components|lib|e2e|prisma)\/[^`*<>\s]+)`/g)].map((m) =>
      m[1]!.replace(/[:#].*$/, ""),
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((p) => ![p, `${p}.ts`, `${p}.tsx`].some((f) => fs.existsSync(f)))).toEqual([]);
  });
});
