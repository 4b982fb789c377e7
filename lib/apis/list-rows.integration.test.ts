// The inventory's list rows are read in two steps (ids through the model client, then the wide rows by
// id in one joined statement: lib/apis/queries.ts listRows). Whatever the provider hands back for the
// joined statement, a list row must say exactly what the API's own record says, and cursor pages must
// walk every API once in the list's order, also one row at a time down a descending sort.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { bulkCreateApis } from "@/lib/apis/bulk-create-apis";
import { createTeam } from "@/lib/teams/create-team";
import { createUser } from "@/lib/users/create-user";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { getApi, listApis, listApisByCursor } from "@/lib/apis/queries";
import { DEFAULT_LIST_PARAMS, SORT_FIELDS } from "@/lib/apis/list-params";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };
const TRI = ["yes", "no", "unknown"] as const;

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`inventory list rows on ${provider}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      const teams = [
        (await createTeam({ actor: SYSTEM }, { name: "Alpha", description: "" })).id,
        (await createTeam({ actor: SYSTEM }, { name: "Beta", description: "" })).id,
      ];
      const owner = (
        await createUser(
          { actor: SYSTEM },
          { email: "owner@example.com", name: "Olive Owner", role: "SYSTEM_OWNER", teamId: teams[0] },
        )
      ).id;
      // Every kind of value a list row carries: no owner and an owner, each tri-state, lists, JSON.
      await bulkCreateApis(
        { actor: SYSTEM },
        Array.from({ length: 9 }, (_, i) => ({
          ...EMPTY_API_INPUT,
          name: `API ${i}`,
          purpose: "Listing",
          teamId: teams[i % 2]!,
          ownerId: i % 3 === 0 ? "" : owner,
          lifecycle: i % 2 ? "ACTIVE" : "PLANNED",
          exposure: i % 3 === 2 ? "PARTNER" : "INTERNAL",
          partnerLinkPrivate: i % 3 === 2,
          readsNonPublic: TRI[i % 3]!,
          modifiesData: TRI[(i + 1) % 3]!,
          centrallyLogged: TRI[(i + 2) % 3]!,
          loggingDestination: TRI[(i + 2) % 3] === "yes" ? "SIEM" : "",
          authMethods: i % 2 ? ["OAUTH2_CLIENT_CREDENTIALS"] : [],
          tags: i % 2 ? ["payments", "core"] : [],
          environments: i % 2 ? [{ name: "prod", baseUrl: "https://api.example.com" }] : [],
        })),
      );
    });
    afterAll(async () => database?.drop());

    it("a list row says what the API's own record says, field for field", async () => {
      const { rows, total } = await listApis(SYSTEM, { ...DEFAULT_LIST_PARAMS, pageSize: 100 });
      expect(total).toBe(9);
      expect(rows).toHaveLength(9);
      expect(rows.filter((r) => r.owner === null)).toHaveLength(3);
      for (const row of rows) {
        const record = await getApi(SYSTEM, row.id);
        const { traffic: _traffic, ...listed } = row;
        expect(listed).toEqual(
          Object.fromEntries(Object.keys(listed).map((k) => [k, record[k as keyof typeof record]])),
        );
      }
      const { data } = await listApisByCursor(SYSTEM, DEFAULT_LIST_PARAMS, null, 100);
      expect(data).toEqual(rows.map(({ traffic: _traffic, ...listed }) => listed));
    });

    it("cursor pages of one row walk every API once, in the model client's order, both ways", async () => {
      for (const sort of SORT_FIELDS)
        for (const desc of [false, true]) {
          const params = { ...DEFAULT_LIST_PARAMS, sort, desc, pageSize: 100 };
          const expected = (await listApis(SYSTEM, params)).rows.map((r) => r.id);
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page: Awaited<ReturnType<typeof listApisByCursor>> = await listApisByCursor(
              SYSTEM,
              params,
              cursor,
              1,
            );
            seen.push(...page.data.map((r) => r.id));
            cursor = page.nextCursor;
          } while (cursor && seen.length <= 9);
          expect({ sort, desc, seen }).toEqual({ sort, desc, seen: expected });
        }
      // A cursor of the first form (id always ascending) would skip or repeat rows now: refused in words.
      const old = Buffer.from(JSON.stringify({ s: "name", d: true, v: "API 5", i: "z" })).toString("base64url");
      await expect(
        listApisByCursor(SYSTEM, { ...DEFAULT_LIST_PARAMS, sort: "name", desc: true }, old, 1),
      ).rejects.toThrow("The cursor was issued by an earlier version of ApiLedger.");
      // All nine share one sensitivity and two teams, so those walks went through the id tie-breaker.
      expect(await db.api.groupBy({ by: ["sensitivity"], _count: true })).toHaveLength(1);
    });
  });
}
