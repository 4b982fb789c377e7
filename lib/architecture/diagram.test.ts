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

  it("lib folders import each other one way: no two folders import each other", () => {
    const folderOf = (file: string) =>
      file.startsWith("lib/") && file.split("/").length > 2 ? file.split("/")[1]! : null;
    const edges = new Set<string>();
    for (const s of readSources(root)) {
      const from = folderOf(s.file);
      for (const i of s.imports) {
        const to = folderOf(i);
        if (from && to && from !== to) edges.add(`${from} → ${to}`);
      }
    }
    const loops = [...edges]
      .map((e) => e.split(" → ") as [string, string])
      .filter(([a, b]) => a < b && edges.has(`${b} → ${a}`))
      .map(([a, b]) => `${a} ↔ ${b}`)
      .sort();
    // The loops main had are broken: reviews ↔ notifications; apis ↔ ism (the rules engine judges API
    // records, so it lives in lib/apis; list columns are storage, lib/db); audit ↔ evidence (the signing
    // key both use is lib/signing); audit ↔ notifications (making a checkpoint, which alerts admins, is
    // lib/checkpoints); auth ↔ rest (rate limits are HTTP's, lib/http); events ↔ rest (the event batch
    // body is the REST route's, lib/rest/event-batch.ts); db ↔ runtime (database faults, lib/db).
    expect(loops).toEqual([]);
  });
});
