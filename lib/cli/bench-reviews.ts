// npm run bench:reviews [-- --postgres] [--apis 10000] [--grants 20] — the access-review figures:
// opening a campaign for N in-scope APIs with G grants each, and the review page of an API with 500
// grants (server response, signed in as its reviewer). Part of `npm run bench`.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseFlags } from "@/lib/cli/run";
import { startSignedInServer, stats, timeRuns } from "@/lib/cli/bench-kit";
import { createTestDatabase } from "@/lib/testing/test-db";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import type { Actor } from "@/lib/authz/policy";

const flags = parseFlags(process.argv.slice(2));
const provider = flags.postgres ? "postgres" : "sqlite";
const N = Number(flags.apis ?? 10_000);
const G = Number(flags.grants ?? 20);
const RUNS = Number(flags.runs ?? 15);
const PORT = Number(flags.port ?? 3201);
const PASSWORD = "bench-password-123";

const database = await createTestDatabase(provider);
process.env.DATABASE_URL = database.url;
const { db, disconnectDb } = await import("@/lib/db/client");
const { createTeam } = await import("@/lib/teams/create-team");
const { createUser } = await import("@/lib/users/create-user");
const { bulkCreateApis } = await import("@/lib/apis/bulk-create-apis");
const { importClients } = await import("@/lib/clients/import-clients");
const { openCampaign } = await import("@/lib/reviews/open-campaign");
const { startReview } = await import("@/lib/reviews/save-review");
const { getReview } = await import("@/lib/reviews/queries");

const system: Actor = { kind: "system", id: null, email: "bench@apiledger" };
const ctx = { actor: system };
console.log(
  `bench:reviews: ${provider}, ${N.toLocaleString()} in-scope APIs × ${G} grants, ${os.cpus().length} cores, node ${process.version}`,
);
const teamId = (await createTeam(ctx, { name: "Bench team", description: "" })).id;
const manager = await createUser(
  ctx,
  { email: "manager@bench.example", name: "Bench Manager", role: "MANAGER", teamId },
  { password: PASSWORD },
);
const owner = await createUser(ctx, {
  email: "owner@bench.example",
  name: "Bench Owner",
  role: "SYSTEM_OWNER",
  teamId,
});
const apiInput = (name: string) => ({
  ...EMPTY_API_INPUT,
  name,
  purpose: "bench",
  teamId,
  ownerId: owner.id,
  lifecycle: "ACTIVE" as const,
  modifiesData: "yes" as const,
  readsNonPublic: "yes" as const,
  authMethods: ["MTLS" as const],
  authzModel: "RBAC" as const,
});
let t0 = performance.now();
for (let i = 0; i < N; i += 5000)
  await bulkCreateApis(
    ctx,
    Array.from({ length: Math.min(5000, N - i) }, (_, k) => apiInput(`Bench API ${i + k}`)),
  );
await bulkCreateApis(ctx, [apiInput("Big API")]);
const header = "api,client,kind,credential_type,scopes,can_modify,approved_by,approved_at,issued_at,expires_at\n";
const row = (api: string, c: number) =>
  `${api},client-${c},service account,client certificate,read;write,${c % 2 ? "yes" : "no"},Manager,2026-01-01,2026-01-01,2027-01-01\n`;
let lines: string[] = [];
const flush = async () => {
  if (lines.length) await importClients(ctx, header + lines.join(""));
  lines = [];
};
for (let i = 0; i < N; i++) {
  for (let c = 0; c < G; c++) lines.push(row(`Bench API ${i}`, c));
  if (lines.length >= 20_000) await flush();
}
await flush();
for (let c = 0; c < 500; c++) lines.push(row("Big API", c));
await flush();
console.log(
  `bench:reviews: seeded ${N + 1} APIs and ${(await db.apiClient.count()).toLocaleString()} grants in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

t0 = performance.now();
const { id: campaignId, reviews } = await openCampaign(ctx, { quarter: "2026-Q4", extraApiIds: [] });
const openSeconds = (performance.now() - t0) / 1000;
console.log(`bench:reviews: opened a campaign of ${reviews.toLocaleString()} reviews in ${openSeconds.toFixed(2)} s`);

const bigReview = await db.review.findFirstOrThrow({ where: { campaignId, api: { name: "Big API" } } });
const managerActor: Actor = { kind: "user", id: manager.id, email: "manager@bench.example", role: "MANAGER", teamId };
t0 = performance.now();
await startReview({ actor: managerActor }, bigReview.id);
const freezeMs = performance.now() - t0;
const q = await timeRuns(RUNS, async (first) => {
  const review = await getReview(managerActor, bigReview.id);
  if (first && review?.snapshot.length !== 500) throw new Error("expected 500 frozen grants");
});
await disconnectDb();

const server = await startSignedInServer(database.url, PORT, "manager@bench.example", PASSWORD);
let page: number[];
try {
  page = await timeRuns(RUNS, async (first) => {
    const res = await server.get(`/reviews/${bigReview.id}`);
    const html = await res.text();
    if (first && (!res.ok || !html.includes("client-499"))) throw new Error(`review page failed: ${res.status}`);
  });
} finally {
  server.stop();
  await database.drop();
}
const qs = stats(q);
const ps = stats(page);
console.log(`\n| Access reviews (${provider}) | Result |`);
console.log("|---|---:|");
console.log(
  `| Open a campaign: ${reviews.toLocaleString("en-AU")} in-scope APIs × ${G} grants | ${openSeconds.toFixed(2)} s |`,
);
console.log(`| Start the 500-grant review (freeze snapshot) | ${freezeMs.toFixed(0)} ms |`);
console.log(`| 500-grant review: query median / p95 | ${qs.median.toFixed(1)} / ${qs.p95.toFixed(1)} ms |`);
console.log(`| 500-grant review: page median / p95 | ${ps.median.toFixed(1)} / ${ps.p95.toFixed(1)} ms |`);
process.exit(0);
