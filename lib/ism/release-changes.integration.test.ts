// What an ISM release changed stays viewable after the import: recomputed from the controls every
// imported catalog keeps, against the release published before it — whatever order they were imported in.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { importIsmCatalog } from "@/lib/ism/import-ism-catalog";
import { getReleaseChanges } from "@/lib/ism/queries";
import { CONTROL_IDS } from "@/lib/ism/controls";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };
const DATA = path.resolve(import.meta.dirname, "../../../shared/data/ism");
const file = (name: string) => new Uint8Array(fs.readFileSync(path.join(DATA, name)));

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`ISM release changes on ${provider}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
    });
    afterAll(async () => database?.drop());

    it("compares each release with the one published before it, including the evaluated controls", async () => {
      // The newer release first: it has nothing to compare with until the older one arrives.
      const december = await importIsmCatalog({ actor: SYSTEM }, file("ISM_catalog-2025.12.json"));
      expect((await getReleaseChanges(SYSTEM, december.catalogId))!.previous).toBeNull();
      const september = await importIsmCatalog({ actor: SYSTEM }, file("ISM_catalog-2025.09.json"));
      expect((await getReleaseChanges(SYSTEM, september.catalogId))!.diff).toBeNull();

      const changes = (await getReleaseChanges(SYSTEM, december.catalogId))!;
      expect(changes.previous!.release).toBe("2025.09.10");
      expect([changes.diff!.added.length, changes.diff!.removed.length, changes.diff!.revised.length]).toEqual([
        21, 6, 90,
      ]);
      // Each revision keeps the text before and after.
      const statementChanged = changes.diff!.revised.filter((r) => r.changes.includes("statement changed"));
      expect(statementChanged.length).toBeGreaterThan(0);
      for (const r of statementChanged) expect(r.before.statement).not.toBe(r.after.statement);
      // The evaluated controls among the changes, exactly those of the six that appear in any list.
      const touched = new Set([
        ...changes.diff!.added.map((c) => c.controlId),
        ...changes.diff!.removed.map((c) => c.controlId),
        ...changes.diff!.revised.map((r) => r.after.controlId),
      ]);
      expect(changes.evaluated.map((e) => e.controlId).sort()).toEqual(
        CONTROL_IDS.filter((id) => touched.has(id)).sort(),
      );
      expect(await getReleaseChanges(SYSTEM, "no-such-catalog")).toBeNull();
    });
  });
}
