// npm run bench [-- --postgres] [--apis 50000] [--runs 15]
// Seeds a fresh database with N APIs (through the audited bulk path), then measures (1) the inventory
// query layer and (2) the real page: a production server is started on that database, signs in, and
// GETs /apis for each view. Prints medians and p95s as a Markdown table for the README.
import os from "node:os";
import { parseFlags } from "@/lib/cli/run";
import { seedBenchInventory, startSignedInServer, stats, timeRuns } from "@/lib/cli/bench-kit";
import { createTestDatabase } from "@/lib/testing/test-db";
import type { Actor } from "@/lib/authz/policy";

const flags = parseFlags(process.argv.slice(2));
const provider = flags.postgres ? "postgres" : "sqlite";
const N = Number(flags.apis ?? 50_000);
const RUNS = Number(flags.runs ?? 15);
const PORT = Number(flags.port ?? 3200);
const PASSWORD = "bench-password-123";

const database = await createTestDatabase(provider);
process.env.DATABASE_URL = database.url;
const { disconnectDb, db } = await import("@/lib/db/client");
const { listApis } = await import("@/lib/apis/queries");
const { getDashboard } = await import("@/lib/dashboard/queries");
const { parseListParams } = await import("@/lib/apis/list-params");

console.log(
  `bench: ${provider}, ${N.toLocaleString()} APIs, ${RUNS} runs per view, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
const { admin, seedSeconds } = await seedBenchInventory(database, N, PASSWORD);
console.log(
  `bench: seeded ${N.toLocaleString()} APIs with ${(await db.auditEntry.count()).toLocaleString()} audit entries in ${seedSeconds.toFixed(1)} s`,
);

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
console.log(
  `\n| View (${provider}, ${N.toLocaleString("en-AU")} APIs) | Matching rows | Query median ms | Query p95 ms | Page median ms | Page p95 ms |`,
);
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of results)
  console.log(
    `| ${r.view} | ${r.rows.toLocaleString("en-AU")} | ${ms(r.query.median)} | ${ms(r.query.p95)} | ${r.page ? ms(r.page.median) : "–"} | ${r.page ? ms(r.page.p95) : "–"} |`,
  );
const d = stats(dashTimes);
console.log(`| dashboard aggregates | ${N.toLocaleString("en-AU")} | ${ms(d.median)} | ${ms(d.p95)} | – | – |`);
console.log(
  `\nSeeding ${N.toLocaleString("en-AU")} APIs (validation, control evaluation, rows and one hash-chained audit entry each): ${seedSeconds.toFixed(1)} s`,
);
process.exit(0);
