// npm run bench:traffic-views [-- --postgres] [--apis 50000] [--events 10000000] [--runs 15] [--keep]
// The views gateway traffic feeds, at scale: N APIs with --events authentication events behind them
// (120 days of calls from about ten callers per API, half of them to 100 busy APIs, a tenth of the APIs
// silent for the last 60 days), stored with the app's own bulk insert and its ObservedAccess upkeep
// (lib/observed/record-access.ts) chunk by chunk, and 2,000 discovered hosts sent through the real
// ingest of an OTLP source. Then each view's query layer (in process) and its page (a started production
// server, signed in) are timed: the dashboard's traffic states, the routing page's discovered APIs, the
// busiest API's observed-versus-granted section and its page. Beside them, in the same run, the floor of
// any page: GET /api/health through the same server.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseFlags } from "@/lib/cli/run";
import {
  mulberry32,
  seedBenchInventory,
  settleAfterLoad,
  startSignedInServer,
  stats,
  timeRuns,
} from "@/lib/cli/bench-kit";
import { createTestDatabase } from "@/lib/testing/test-db";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { newEventBatch } from "@/lib/events/event-id";
import { EMPTY_CLIENT_INPUT } from "@/lib/clients/schemas";

const flags = parseFlags(process.argv.slice(2));
const provider = flags.postgres ? "postgres" : "sqlite";
const N = Number(flags.apis ?? 50_000);
const EVENTS = Number(flags.events ?? 10_000_000);
const RUNS = Number(flags.runs ?? 15);
const PORT = Number(flags.port ?? 3320);
const PASSWORD = "bench-password-123";
const CHUNK = 100_000;
const SYSTEM = { kind: "system", id: null, email: "bench@apiledger" } as const;
const BUSY = 100;
const CALLERS_PER_API = 10;
const DISCOVERED_HOSTS = 2_000;
const DAY = 86_400_000;

console.log(
  `bench:traffic-views ${provider}, ${N.toLocaleString()} APIs, ${EVENTS.toLocaleString()} events, ${RUNS} runs per view, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
const database = await createTestDatabase(provider);
process.env.DATABASE_URL = database.url;
const { db, disconnectDb, dbProvider } = await import("@/lib/db/client");
const { authorizedWrite } = await import("@/lib/audit/authorized-write");
const { bulkInsertColumns } = await import("@/lib/audit/bulk-insert");
const { EVENT_COLUMNS } = await import("@/lib/events/ingest-events");
const { recordObservedAccess } = await import("@/lib/observed/record-access");
const { createClient } = await import("@/lib/clients/create-client");
const { createTrafficSource } = await import("@/lib/traffic/create-source");
const { ingestTraffic } = await import("@/lib/traffic/ingest-traffic");
const { otlpRecords } = await import("@/lib/traffic/otlp-records");
const { DISCOVERIES_PER_BATCH } = await import("@/lib/traffic/routing");
const { signedInActor, tokenActor } = await import("@/lib/testing/actors");
const { getTrafficStates } = await import("@/lib/observed/api-states");
const { listRouting, listRouteSuggestions } = await import("@/lib/traffic/routing-queries");
const { parseSuggestionView } = await import("@/lib/traffic/list-view");
const { observedAccess, lastObservedEvent } = await import("@/lib/observed/queries");
const { teams } = await seedBenchInventory(database, N, PASSWORD);
// Nine APIs in ten have a production base URL, as registered APIs do: the routing page suggests a rule
// for each (written as the database's administrator: a benchmark fixture, not an app write).
await asDatabaseAdmin(database, [
  `UPDATE "Api" SET "environments" = '[{"name":"Production","baseUrl":"https://' || lower(substr("id", 1, 12)) || '.internal.example/v1"}]' WHERE substr("id", -1) <> '9'`,
]);
const admin = await signedInActor("admin@bench.example");
const apis = (await db.api.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((a) => a.id);

const rand = mulberry32(7);
const callerOf = (a: number) => `svc-${(a * 7 + Math.floor(rand() * CALLERS_PER_API)) % 5_000}`;

// The busiest API's grants: half of its callers, plus grants nobody uses and one whose credential expired.
const busiest = apis[0]!;
for (let k = 0; k < CALLERS_PER_API / 2; k++)
  await createClient({ actor: admin }, busiest, {
    ...EMPTY_CLIENT_INPUT,
    name: `svc-${k}`,
    canModify: k % 2 === 0,
    credentialExpiresAt: k === 1 ? new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10) : "",
  });
for (let k = 0; k < 20; k++)
  await createClient({ actor: admin }, busiest, { ...EMPTY_CLIENT_INPUT, name: `idle-grant-${k}` });

// The OTLP source the discovered hosts come through (registered now: it asks for a recent sign-in).
const source = await createTrafficSource(
  { actor: admin },
  { name: "Bench edge", profile: "otlp", lenient: true, teamId: teams[0]!, apiId: "" },
);
const sourceActor = await tokenActor(source.secret);

// --- 120 days of events, oldest first, each chunk in one transaction with the aggregate upkeep ---------
const now = Date.now();
const chunks = Math.ceil(EVENTS / CHUNK);
const span = (120 * DAY) / chunks;
const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
let t0 = performance.now();
for (let c = 0; c < chunks; c++) {
  const from = now - 120 * DAY + c * span;
  const recent = from > now - 60 * DAY;
  const count = Math.min(CHUNK, EVENTS - c * CHUNK);
  const { batchId, ids } = newEventBatch(count, new Date(from + span));
  const rows: (string | null)[][] = [];
  const calls: { api: string; clientId: string; at: Date; outcome: string; method: string }[] = [];
  for (let i = 0; i < count; i++) {
    let a = rand() < 0.5 ? Math.floor(rand() * BUSY) : Math.floor(rand() * apis.length);
    // A tenth of the APIs fall silent 60 days ago (unused or, when deprecated, no longer a zombie).
    while (recent && a % 10 === 9) a = Math.floor(rand() * apis.length);
    const r = rand();
    const outcome = r < 0.02 ? "authn_failure" : r < 0.03 ? "authz_denied" : "success";
    const at = new Date(from + rand() * span);
    const method = METHODS[Math.floor(rand() * METHODS.length)]!;
    const clientId = callerOf(a);
    rows.push([ids[i]!, at.toISOString(), apis[a]!, clientId, "", outcome, "", method, "/v1/items"]);
    calls.push({ api: apis[a]!, clientId, at, outcome, method });
  }
  // Through the write door as a system load, one audit entry per chunk; the ids are later chunk by chunk.
  await authorizedWrite({ actor: SYSTEM, ip: "bench" }, { permission: "event:ingest" }, async (tx, audit) => {
    await bulkInsertColumns(tx, dbProvider(), "AuthEvent", EVENT_COLUMNS, rows);
    await recordObservedAccess(tx, calls);
    await audit({
      action: "events.ingest",
      targetType: "auth-events",
      targetId: batchId,
      summary: `${count} authentication event(s) loaded by the benchmark`,
      details: { batchId, count },
    });
  });
  if ((c + 1) % 10 === 0 || c === chunks - 1)
    console.log(`  ${((c + 1) * CHUNK).toLocaleString()} events in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(
  `seeded ${EVENTS.toLocaleString()} events, ${(await db.observedAccess.count()).toLocaleString()} API × caller rows in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);

// --- Discovered APIs: traffic for 2,000 unregistered hosts through a real OTLP source ----------------
const attribute = (key: string, value: string | number) => ({
  key,
  value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value },
});
t0 = performance.now();
// A batch makes at most DISCOVERIES_PER_BATCH new ones: 1,000 records to as many new hosts each.
for (let b = 0; b < DISCOVERED_HOSTS / DISCOVERIES_PER_BATCH; b++) {
  const logRecords = Array.from({ length: 1_000 }, (_, i) => ({
    timeUnixNano: `${now - DAY + b * 1_000 + i}000000`,
    attributes: [
      attribute("http.request.method", METHODS[i % METHODS.length]!),
      attribute("url.path", `/v${i % 3}/things/${i}`),
      attribute("server.address", `shadow-${b * DISCOVERIES_PER_BATCH + (i % DISCOVERIES_PER_BATCH)}.internal.example`),
      attribute("http.response.status_code", i % 17 === 0 ? 401 : 200),
      attribute("apiledger.client.id", `caller-${i % 300}`),
    ],
  }));
  await ingestTraffic({ actor: sourceActor, ip: "bench" }, () =>
    otlpRecords("logs", { resourceLogs: [{ scopeLogs: [{ logRecords }] }] }),
  );
}
console.log(
  `discovered ${(await db.discoveredApi.count()).toLocaleString()} hosts in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
await settleAfterLoad(database);

// --- The views, in process -----------------------------------------------------------------------------
type View = { name: string; rows: () => Promise<number>; page: string; expect: string };
const VIEWS: View[] = [
  {
    name: "dashboard: zombie and unused APIs, discovered count",
    rows: async () => {
      const s = await getTrafficStates(admin);
      return s.zombies.length + s.unused.length;
    },
    page: "/",
    expect: "Dashboard",
  },
  {
    name: "routing: discovered APIs, rules, a page of suggested rules",
    rows: async () => {
      const [routing, suggestions] = await Promise.all([
        listRouting(admin),
        listRouteSuggestions(admin, parseSuggestionView({})),
      ]);
      return routing.discovered.length + suggestions.rows.length;
    },
    page: "/traffic/routing",
    expect: "shadow-",
  },
  {
    name: "busiest API: observed versus granted",
    rows: async () => (await observedAccess(admin, busiest)).rows.length,
    page: `/apis/${busiest}/events`,
    expect: "idle-grant-",
  },
  {
    name: "busiest API: its page (last event)",
    rows: async () => ((await lastObservedEvent(admin, busiest)) ? 1 : 0),
    page: `/apis/${busiest}`,
    expect: "ISM-2015",
  },
];
// Every other section of the dashboard, each on its own (they load in parallel on the page): where the
// page's time goes besides the traffic states.
const { getDashboard } = await import("@/lib/dashboard/queries");
const { getAttention, getSetupSteps } = await import("@/lib/dashboard/attention");
const { getMyWork, getReviewSummary } = await import("@/lib/reviews/queries");
const { getIncidentSummary } = await import("@/lib/incidents/queries");
const { getDocumentGaps } = await import("@/lib/documents/queries");
const { getTrainingCoverage } = await import("@/lib/training/queries");
const { getControlTrend } = await import("@/lib/dashboard/control-snapshots");
const { dailyOutcomes, listAlerts } = await import("@/lib/events/queries");
const SECTIONS: [string, () => Promise<unknown>][] = [
  ["setup steps", () => getSetupSteps(admin)],
  ["needs attention", () => getAttention(admin)],
  ["my reviews and follow-ups", () => getMyWork(admin)],
  ["API authentication alerts", () => listAlerts(admin, { openOnly: true }, 10)],
  ["API figures, controls, exposure, sign-in alerts", () => getDashboard(admin)],
  ["trends: quarters", () => getControlTrend(admin)],
  ["trends: 14 days of outcomes", () => dailyOutcomes(admin, null, 14)],
  ["access reviews", () => getReviewSummary(admin)],
  ["incidents", () => getIncidentSummary(admin)],
  ["policies and procedures", () => getDocumentGaps(admin)],
  ["training coverage", () => getTrainingCoverage(admin)],
];
const sections: { name: string; query: ReturnType<typeof stats> }[] = [];
for (const [name, load] of SECTIONS)
  sections.push({ name, query: stats(await timeRuns(RUNS, async () => void (await load()))) });

// The routing page's suggestions the first time after an API changed (an edit on any instance, written
// here as the database's administrator): each process reads again only what changed since it last looked.
const afterChange: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const changed = new Date(Date.now() + 60_000 + r).toISOString();
  await asDatabaseAdmin(
    database,
    [`UPDATE "Api" SET "updatedAt" = ? WHERE "id" = ?`],
    [[provider === "sqlite" ? changed.replace("Z", "+00:00") : changed, apis[r * 97]!]],
  );
  const started = performance.now();
  await listRouteSuggestions(admin, parseSuggestionView({}));
  afterChange.push(performance.now() - started);
}
sections.push({ name: "routing: suggested rules, first load after an API changed", query: stats(afterChange) });

const results: { view: View; rows: number; query: ReturnType<typeof stats>; page?: ReturnType<typeof stats> }[] = [];
for (const view of VIEWS) {
  let rows = 0;
  const times = await timeRuns(RUNS, async () => {
    rows = await view.rows();
  });
  results.push({ view, rows, query: stats(times) });
}
await disconnectDb();

// --- The pages, from a production server on the same database -------------------------------------------
const server = await startSignedInServer(database.url, PORT, "admin@bench.example", PASSWORD);
let floor: ReturnType<typeof stats>;
try {
  floor = stats(
    await timeRuns(RUNS, async () => {
      await (await server.get("/api/health")).arrayBuffer();
    }),
  );
  for (const result of results) {
    const times = await timeRuns(RUNS, async (first) => {
      const res = await server.get(result.view.page);
      const html = await res.text();
      if (first && (!res.ok || !html.includes(result.view.expect)))
        throw new Error(`GET ${result.view.page}: ${res.status}, no "${result.view.expect}"`);
    });
    result.page = stats(times);
  }
} finally {
  server.stop();
  // --keep leaves the database for a closer look (EXPLAIN, a profiler); its address is printed.
  if (flags.keep) console.log(`kept the database: ${database.url}`);
  else await database.drop();
}

const ms = (n: number) => n.toFixed(1);
console.log(
  `\n| View (${provider}, ${N.toLocaleString("en-AU")} APIs, ${EVENTS.toLocaleString("en-AU")} events) | Rows shown | Query median ms | Query p95 ms | Page median ms | Page p95 ms |`,
);
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of results)
  console.log(
    `| ${r.view.name} | ${r.rows.toLocaleString("en-AU")} | ${ms(r.query.median)} | ${ms(r.query.p95)} | ${ms(r.page!.median)} | ${ms(r.page!.p95)} |`,
  );
console.log(`| floor: GET /api/health, same server | – | – | – | ${ms(floor.median)} | ${ms(floor.p95)} |`);
console.log(`\n| Section of a page (${provider}, in process) | Query median ms | Query p95 ms |`);
console.log("|---|---:|---:|");
for (const s of sections) console.log(`| ${s.name} | ${ms(s.query.median)} | ${ms(s.query.p95)} |`);
process.exit(0);
