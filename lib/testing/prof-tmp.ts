import { performance } from "node:perf_hooks";
import pg from "pg";
import { createTestDatabase } from "@/lib/testing/test-db";
const database = await createTestDatabase("postgres");
process.env.DATABASE_URL = database.url;
const { createTeam } = await import("@/lib/teams/create-team");
const { EMPTY_API_INPUT } = await import("@/lib/apis/schemas");
const { bulkCreateApis } = await import("@/lib/apis/bulk-create-apis");
const { db } = await import("@/lib/db");
const { buildApiWhere } = await import("@/lib/apis/queries");
const { parseListParams } = await import("@/lib/apis/list-params");
const ctx = { actor: { kind: "system" as const, id: null, email: "x" } };
const team = (await createTeam(ctx, { name: "T", description: "" })).id;
for (let k = 0; k < 10; k++) await bulkCreateApis(ctx, Array.from({ length: 5000 }, (_, i) => ({ ...EMPTY_API_INPUT, name: `API ${k}-${i}`, purpose: "p", teamId: team })));
const c = new pg.Client({ connectionString: database.url }); await c.connect(); await c.query("ANALYZE");
const where = buildApiWhere(parseListParams({}));
for (let r = 0; r < 3; r++) {
  let t = performance.now(); await db.api.count({ where }); console.log("count", (performance.now() - t).toFixed(1));
  t = performance.now(); await db.api.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], take: 25, select: { id: true, name: true } }); console.log("findMany plain", (performance.now() - t).toFixed(1));
  t = performance.now(); await db.api.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], take: 25, select: { id: true, name: true, team: { select: { name: true } }, owner: { select: { name: true } } } }); console.log("findMany rel", (performance.now() - t).toFixed(1));
}
console.log((await c.query(`EXPLAIN ANALYZE SELECT COUNT(*) FROM "Api" WHERE "deletedAt" IS NULL`)).rows.map((r) => r["QUERY PLAN"]).join("\n"));
console.log((await c.query(`EXPLAIN ANALYZE SELECT id, name FROM "Api" WHERE "deletedAt" IS NULL ORDER BY name, id LIMIT 25`)).rows.map((r) => r["QUERY PLAN"]).join("\n"));
await c.end();
await database.drop();
process.exit(0);
