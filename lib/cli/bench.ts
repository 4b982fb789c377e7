// npm run bench [-- --postgres] [--apis 50000] [--runs 15]
// Seeds a fresh database with N APIs (through the audited bulk path), then measures (1) the inventory
// query layer and (2) the real page: a production server is started on that database, signs in, and
// GETs /apis for each view. Prints medians and p95s as a Markdown table for the README.
import os from "node:os";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import { parseFlags } from "@/lib/cli/run";
import { startSignedInServer, stats, timeRuns } from "@/lib/cli/bench-kit";
import { sqlitePath } from "@/lib/db-url";
import { createTestDatabase } from "@/lib/testing/test-db";
import { EMPTY_API_INPUT, type TApiInput } from "@/lib/apis/schemas";
import { AUTH_METHODS, AUTHZ_MODELS, DATA_CATEGORIES, EXPOSURES, LIFECYCLES, SENSITIVITIES } from "@/lib/apis/enums";
import type { Actor } from "@/lib/authz/policy";

const flags = parseFlags(process.argv.slice(2));
const provider = flags.postgres ? "postgres" : "sqlite";
const N = Number(flags.apis ?? 50_000);
const RUNS = Number(flags.runs ?? 15);
const PORT = Number(flags.port ?? 3200);
const PASSWORD = "bench-password-123";

const database = await createTestDatabase(provider);
process.env.DATABASE_URL = database.url;
const { disconnectDb, db } = await import("@/lib/db");
const { createTeam } = await import("@/lib/teams/create-team");
const { createUser } = await import("@/lib/users/create-user");
const { bulkCreateApis } = await import("@/lib/apis/bulk-create-apis");
const { listApis } = await import("@/lib/apis/queries");
const { getDashboard } = await import("@/lib/dashboard/queries");
const { parseListParams } = await import("@/lib/apis/list-params");

const system: Actor = { kind: "system", id: null, email: "bench@apiledger" };
const ctx = { actor: system, ip: "bench" };
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const WORDS = ["payments", "ledger", "identity", "records", "case", "search", "grants", "claims", "tax", "licence", "registry", "alerts", "metrics", "profile", "booking", "archive", "citizen", "partner", "vault", "gateway"];

console.log(`bench: ${provider}, ${N.toLocaleString()} APIs, ${RUNS} runs per view, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
const teams: string[] = [];
for (let t = 0; t < 20; t++) teams.push((await createTeam(ctx, { name: `Team ${t + 1}`, description: "" })).id);
const owners: string[] = [];
for (let u = 0; u < 50; u++) owners.push((await createUser(ctx, { email: `owner${u}@bench.example`, name: `Owner ${String(u).padStart(2, "0")}`, role: "SYSTEM_OWNER", teamId: pick(teams) })).id);
const admin = await createUser(ctx, { email: "admin@bench.example", name: "Bench Admin", role: "ADMIN", teamId: "" }, { password: PASSWORD });

const inputs: TApiInput[] = Array.from({ length: N }, (_, i) => {
  const methods = rand() < 0.1 ? [] : rand() < 0.08 ? ["NONE" as const] : [pick(AUTH_METHODS.filter((m) => m !== "NONE"))];
  const tri = () => pick(["yes", "no", "yes", "unknown"] as const);
  const logged = tri();
  return {
    ...EMPTY_API_INPUT,
    name: `${pick(WORDS)} ${pick(WORDS)} API ${i}`,
    purpose: `Handles ${pick(WORDS)} and ${pick(WORDS)} for the ${pick(WORDS)} service.`,
    teamId: pick(teams),
    ownerId: rand() < 0.1 ? "" : pick(owners),
    lifecycle: pick(LIFECYCLES),
    exposure: pick(EXPOSURES),
    partnerLinkPrivate: rand() < 0.5,
    modifiesData: tri(),
    readsNonPublic: tri(),
    sensitivity: pick(SENSITIVITIES),
    dataCategories: rand() < 0.5 ? [pick(DATA_CATEGORIES)] : [],
    authMethods: methods,
    authzModel: rand() < 0.1 ? "UNKNOWN" : pick(AUTHZ_MODELS),
    centrallyLogged: logged,
    loggingDestination: logged === "yes" ? "SIEM" : "",
    tags: [pick(WORDS)],
  };
});

let t0 = performance.now();
for (let i = 0; i < inputs.length; i += 5000) await bulkCreateApis(ctx, inputs.slice(i, i + 5000));
const seedSeconds = (performance.now() - t0) / 1000;
console.log(`bench: seeded ${N.toLocaleString()} APIs with ${(await db.auditEntry.count()).toLocaleString()} audit entries in ${seedSeconds.toFixed(1)} s`);
// Planner statistics, as a running installation would have them (PostgreSQL's autovacuum analyses on
// its own after a bulk load; SQLite only when asked). Maintenance, not a data write.
if (provider === "sqlite") {
  const file = new Database(sqlitePath(database.url));
  file.exec("ANALYZE");
  file.close();
} else {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("ANALYZE");
  await client.end();
}

const VIEWS: [string, string][] = [
  ["default (name ↑, page 1)", ""],
  ["sort by team", "sort=team"],
  ["sort by owner ↓", "sort=-owner"],
  ["sort by updated ↓", "sort=-updatedAt"],
  ["filter exposure", "exposure=INTERNET"],
  ["filter sensitivity + lifecycle", "sensitivity=PROTECTED,SECRET&lifecycle=ACTIVE"],
  ["filter ISM-2013 not met", "ism2013=NOT_MET"],
  ["filter auth method", "authMethod=API_KEY,BASIC"],
  ["filter no owner", "owner=none"],
  ["free-text search", "q=ledger"],
  ["search + filter + sort", "q=grants&exposure=INTERNAL&sort=-updatedAt"],
  ["deep page (page 1000)", "page=1000&size=25"],
  ["100 rows per page", "size=100&sort=sensitivity"],
];

const actor: Actor = { kind: "user", id: admin.id, email: "admin@bench.example", role: "ADMIN", teamId: null };
const results: { view: string; query: ReturnType<typeof stats>; page?: ReturnType<typeof stats>; rows: number }[] = [];
for (const [view, qs] of VIEWS) {
  const params = parseListParams(Object.fromEntries(new URLSearchParams(qs)));
  let total = 0;
  const times = await timeRuns(RUNS, async () => {
    total = (await listApis(actor, params)).total;
  });
  results.push({ view, query: stats(times), rows: total });
}
const dashTimes = await timeRuns(RUNS, async () => {
  await getDashboard(actor);
});
await disconnectDb();

// The page itself, from a production server on the same database.
const server = await startSignedInServer(database.url, PORT, "admin@bench.example", PASSWORD);
try {
  for (const [i, [, qs]] of VIEWS.entries()) {
    const times = await timeRuns(RUNS, async (first) => {
      const res = await server.get(`/apis${qs ? `?${qs}` : ""}`);
      const html = await res.text();
      if (first && (!res.ok || !html.includes("Showing"))) throw new Error(`GET /apis?${qs} failed: ${res.status}`);
    });
    results[i]!.page = stats(times);
  }
} finally {
  server.stop();
  await database.drop();
}

const ms = (n: number) => `${n.toFixed(1)}`;
console.log(`\n| View (${provider}, ${N.toLocaleString("en-AU")} APIs) | Matching rows | Query median ms | Query p95 ms | Page median ms | Page p95 ms |`);
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of results) console.log(`| ${r.view} | ${r.rows.toLocaleString("en-AU")} | ${ms(r.query.median)} | ${ms(r.query.p95)} | ${r.page ? ms(r.page.median) : "–"} | ${r.page ? ms(r.page.p95) : "–"} |`);
const d = stats(dashTimes);
console.log(`| dashboard aggregates | ${N.toLocaleString("en-AU")} | ${ms(d.median)} | ${ms(d.p95)} | – | – |`);
console.log(`\nSeeding ${N.toLocaleString("en-AU")} APIs (validation, control evaluation, rows and one hash-chained audit entry each): ${seedSeconds.toFixed(1)} s`);
process.exit(0);
