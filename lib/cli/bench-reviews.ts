// npm run bench:reviews [-- --postgres] [--apis 10000] [--grants 20] — the access-review figures:
// opening a campaign for N in-scope APIs with G grants each, and the review page of an API with 500
// grants (server response, signed in as its reviewer). Part of `npm run bench`.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { ROOT, parseFlags } from "@/lib/cli/run";
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
const { db, disconnectDb } = await import("@/lib/db");
const { createTeam } = await import("@/lib/teams/create-team");
const { createUser } = await import("@/lib/users/create-user");
const { bulkCreateApis } = await import("@/lib/apis/bulk-create-apis");
const { importClients } = await import("@/lib/clients/import-clients");
const { openCampaign } = await import("@/lib/reviews/open-campaign");
const { startReview } = await import("@/lib/reviews/save-review");
const { getReview } = await import("@/lib/reviews/queries");

const system: Actor = { kind: "system", id: null, email: "bench@apiledger" };
const ctx = { actor: system };
console.log(`bench:reviews: ${provider}, ${N.toLocaleString()} in-scope APIs × ${G} grants, ${os.cpus().length} cores, node ${process.version}`);
const teamId = (await createTeam(ctx, { name: "Bench team", description: "" })).id;
const manager = await createUser(ctx, { email: "manager@bench.example", name: "Bench Manager", role: "MANAGER", teamId }, { password: PASSWORD });
const owner = await createUser(ctx, { email: "owner@bench.example", name: "Bench Owner", role: "SYSTEM_OWNER", teamId });
const apiInput = (name: string) => ({ ...EMPTY_API_INPUT, name, purpose: "bench", teamId, ownerId: owner.id, lifecycle: "ACTIVE" as const, modifiesData: "yes" as const, readsNonPublic: "yes" as const, authMethods: ["MTLS" as const], authzModel: "RBAC" as const });
let t0 = performance.now();
for (let i = 0; i < N; i += 5000) await bulkCreateApis(ctx, Array.from({ length: Math.min(5000, N - i) }, (_, k) => apiInput(`Bench API ${i + k}`)));
await bulkCreateApis(ctx, [apiInput("Big API")]);
const header = "api,client,kind,credential_type,scopes,can_modify,approved_by,approved_at,issued_at,expires_at\n";
const row = (api: string, c: number) => `${api},client-${c},service account,client certificate,read;write,${c % 2 ? "yes" : "no"},Manager,2026-01-01,2026-01-01,2027-01-01\n`;
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
console.log(`bench:reviews: seeded ${N + 1} APIs and ${(await db.apiClient.count()).toLocaleString()} grants in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

t0 = performance.now();
const { id: campaignId, reviews } = await openCampaign(ctx, { quarter: "2026-Q4", extraApiIds: [] });
const openSeconds = (performance.now() - t0) / 1000;
console.log(`bench:reviews: opened a campaign of ${reviews.toLocaleString()} reviews in ${openSeconds.toFixed(2)} s`);

const bigReview = await db.review.findFirstOrThrow({ where: { campaignId, api: { name: "Big API" } } });
const managerActor: Actor = { kind: "user", id: manager.id, email: "manager@bench.example", role: "MANAGER", teamId };
t0 = performance.now();
await startReview({ actor: managerActor }, bigReview.id);
const freezeMs = performance.now() - t0;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]! };
};
const q: number[] = [];
for (let r = 0; r < RUNS + 2; r++) {
  t0 = performance.now();
  const review = await getReview(managerActor, bigReview.id);
  if (r === 0 && review?.snapshot.length !== 500) throw new Error("expected 500 frozen grants");
  if (r >= 2) q.push(performance.now() - t0);
}
await disconnectDb();

const server = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/start.ts", "--port", String(PORT)], {
  cwd: ROOT,
  env: { ...process.env, DATABASE_URL: database.url, APILEDGER_DEMO: "0", APILEDGER_DATA_DIR: fs.mkdtempSync(`${os.tmpdir()}/apiledger-bench-`), NEXTAUTH_URL: `http://localhost:${PORT}` },
  stdio: ["ignore", "ignore", "inherit"],
});
const base = `http://localhost:${PORT}`;
const page: number[] = [];
try {
  for (let i = 0; ; i++) {
    if (i > 600) throw new Error("server did not start");
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const login = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookies },
    body: new URLSearchParams({ csrfToken, email: "manager@bench.example", password: PASSWORD, json: "true" }),
  });
  const session = [cookies, ...login.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
  for (let r = 0; r < RUNS + 2; r++) {
    t0 = performance.now();
    const res = await fetch(`${base}/reviews/${bigReview.id}`, { headers: { Cookie: session } });
    const html = await res.text();
    if (r === 0 && (!res.ok || !html.includes("client-499"))) throw new Error(`review page failed: ${res.status}`);
    if (r >= 2) page.push(performance.now() - t0);
  }
} finally {
  server.kill("SIGTERM");
  await database.drop();
}
const qs = stats(q);
const ps = stats(page);
console.log(`\n| Access reviews (${provider}) | Result |`);
console.log("|---|---:|");
console.log(`| Open a campaign: ${reviews.toLocaleString("en-AU")} in-scope APIs × ${G} grants | ${openSeconds.toFixed(2)} s |`);
console.log(`| Start the 500-grant review (freeze snapshot) | ${freezeMs.toFixed(0)} ms |`);
console.log(`| 500-grant review: query median / p95 | ${qs.median.toFixed(1)} / ${qs.p95.toFixed(1)} ms |`);
console.log(`| 500-grant review: page median / p95 | ${ps.median.toFixed(1)} / ${ps.p95.toFixed(1)} ms |`);
process.exit(0);
