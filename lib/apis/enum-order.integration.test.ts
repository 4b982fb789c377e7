// Enumerations sort by their meaning, not their spelling: classification, lifecycle and exposure order in
// the inventory page, the REST list's cursor pages and the CSV download, on SQLite as on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { bulkCreateApis } from "@/lib/apis/bulk-create-apis";
import { updateApi } from "@/lib/apis/update-api";
import { createTeam } from "@/lib/teams/create-team";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { iterateApis, listApis, listApisByCursor } from "@/lib/apis/queries";
import { DEFAULT_LIST_PARAMS, type SortField } from "@/lib/apis/list-params";
import { LIFECYCLES, SENSITIVITIES } from "@/lib/apis/enums";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };
// Spelled so that text order and meaning disagree: TOP_SECRET < UNOFFICIAL, ACTIVE < PLANNED, …
const SHUFFLED = ["SECRET", "UNOFFICIAL", "TOP_SECRET", "OFFICIAL_SENSITIVE", "PROTECTED", "OFFICIAL"] as const;
const LIFECYCLE_OF = ["RETIRED", "PLANNED", "DEPRECATED", "ACTIVE", "PLANNED", "ACTIVE"] as const;

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`enumeration order on ${provider}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      const teamId = (await createTeam({ actor: SYSTEM }, { name: "Team", description: "" })).id;
      // Two APIs per level, created in an order that is neither meaning nor spelling.
      const inputs = [...SHUFFLED, ...SHUFFLED].map((sensitivity, i) => ({
        ...EMPTY_API_INPUT,
        name: `API ${String(i).padStart(2, "0")}`,
        purpose: "Sorting",
        teamId,
        sensitivity,
        lifecycle: LIFECYCLE_OF[i % LIFECYCLE_OF.length]!,
      }));
      await bulkCreateApis({ actor: SYSTEM }, inputs);
    });
    afterAll(async () => database?.drop());

    const params = (sort: SortField, desc = false) => ({ ...DEFAULT_LIST_PARAMS, sort, desc, pageSize: 100 });
    const levels = (rows: { sensitivity: string }[]) => [...new Set(rows.map((r) => r.sensitivity))];

    it("the inventory sorts sensitivity in classification order, both ways", async () => {
      expect(levels((await listApis(SYSTEM, params("sensitivity"))).rows)).toEqual([...SENSITIVITIES]);
      expect(levels((await listApis(SYSTEM, params("sensitivity", true))).rows)).toEqual([...SENSITIVITIES].reverse());
      const lifecycles = (await listApis(SYSTEM, params("lifecycle"))).rows.map((r) => r.lifecycle);
      expect([...new Set(lifecycles)]).toEqual([...LIFECYCLES]);
    });

    it("REST cursor pages and the CSV stream follow the same order, with no row skipped or repeated", async () => {
      for (const desc of [false, true]) {
        const seen: { id: string; sensitivity: string }[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<typeof listApisByCursor>> = await listApisByCursor(
            SYSTEM,
            params("sensitivity", desc),
            cursor,
            3,
          );
          seen.push(...page.data);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toHaveLength(12);
        expect(new Set(seen.map((r) => r.id)).size).toBe(12);
        expect(levels(seen)).toEqual(desc ? [...SENSITIVITIES].reverse() : [...SENSITIVITIES]);
      }
      const streamed: { sensitivity: string }[] = [];
      for await (const r of iterateApis(SYSTEM, params("sensitivity"), 5)) streamed.push(r);
      expect(levels(streamed)).toEqual([...SENSITIVITIES]);
    });

    it("an edit moves the API to its new place in the order", async () => {
      const first = (await listApis(SYSTEM, params("sensitivity"))).rows[0]!;
      expect(first.sensitivity).toBe("UNOFFICIAL");
      const row = await db.api.findUniqueOrThrow({ where: { id: first.id } });
      await updateApi({ actor: SYSTEM }, first.id, row.version, {
        ...EMPTY_API_INPUT,
        name: row.name,
        purpose: row.purpose,
        teamId: row.teamId,
        lifecycle: row.lifecycle,
        sensitivity: "TOP_SECRET",
      });
      const rows = (await listApis(SYSTEM, params("sensitivity"))).rows;
      const moved = rows.findIndex((r) => r.id === first.id);
      expect(rows.slice(moved).every((r) => r.sensitivity === "TOP_SECRET")).toBe(true);
      expect(rows.slice(0, moved).some((r) => r.sensitivity === "SECRET")).toBe(true);
    });
  });
}
