// npm run bench:api [-- --postgres] [--apis 50000] [--events 200000] [--seconds 40] [--rounds 4]
//                   [--no-ingest] [--no-load] [--profile DIR]
// The machine interface, measured: (1) authentication-event ingestion through the real service path
// (validation, policy, one transaction per 10,000-event batch, audit entry, last-seen, alert rules)
// against the raw insert rate of the same rows through the database driver alone; (2) requests/s and
// latency of GET /api/v1/apis?limit=50&sort=-updatedAt under 50 concurrent clients (autocannon) with N
// APIs, from the app and, in the same run, from a bare node:http server answering the same page from the
// same database with the driver alone (lib/cli/bench-api-ceiling.ts): the ceiling, and the ratio, all servers
// running at once and driven in turns (measureLoad), with the server CPU each request cost (serverCpuMs);
// (3) scanning the largest OpenAPI description in ../shared/data/openapi. --profile DIR writes a CPU
// profile of the app's server process (lib/cli/cpu-profile-hook.mjs).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import readline from "node:readline";
import { once } from "node:events";
import { parseFlags } from "@/lib/cli/run";
import {
  authEventBatches,
  driverCeiling,
  seedBenchInventory,
  startSignedInServer,
  stats,
  timeRuns,
} from "@/lib/cli/bench-kit";
import { createTestDatabase } from "@/lib/testing/test-db";
import type { Actor } from "@/lib/authz/policy";
import { parseDescription } from "@/lib/openapi-scan/parse";
import { scanDescription } from "@/lib/openapi-scan/scan";
import { newEventBatch } from "@/lib/events/event-id";

const flags = parseFlags(process.argv.slice(2));
const provider = flags.postgres ? "postgres" : "sqlite";
const N = Number(flags.apis ?? 50_000);
const EVENTS = Number(flags.events ?? 200_000);
const BATCH = 10_000;
const PORT = Number(flags.port ?? 3300);
const PASSWORD = "bench-password-123";
const CONNECTIONS = 50;
/** Seconds each server is driven in all, in ROUNDS turns (see measureLoad). */
const SECONDS = Number(flags.seconds ?? 40);
const ROUNDS = Math.max(1, Math.floor(Number(flags.rounds ?? 4)) || 1);

console.log(
  `bench:api ${provider}, ${N.toLocaleString()} APIs, ${EVENTS.toLocaleString()} events, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
);
const database = await createTestDatabase(provider);
process.env.DATABASE_URL = database.url;
process.env.APILEDGER_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-bench-api-"));
const { db, disconnectDb } = await import("@/lib/db/client");
const { ingestAuthEvents } = await import("@/lib/events/ingest-events");
const { createToken } = await import("@/lib/tokens/create-token");
const { admin } = await seedBenchInventory(database, N, PASSWORD);
const adminActor: Actor = { kind: "user", id: admin.id, email: "admin@bench.example", role: "ADMIN", teamId: null };

// --- 1. Event ingestion -------------------------------------------------------------------------
const apiIds = (await db.api.findMany({ take: 200, select: { id: true } })).map((a) => a.id);
const makeBatch = authEventBatches(apiIds, BATCH, 7);
const batches = Array.from({ length: Math.ceil(EVENTS / BATCH) }, (_, b) => makeBatch(b));
// --no-ingest skips the ingestion part (quick runs while tuning the REST path).
const ingest = !flags["no-ingest"];
// One batch first, not counted, as for the HTTP load below: the first call compiles the code path.
if (ingest) await ingestAuthEvents({ actor: adminActor, ip: "bench" }, makeBatch(batches.length * 2));
let t0 = performance.now();
for (const batch of ingest ? batches : []) await ingestAuthEvents({ actor: adminActor, ip: "bench" }, batch);
const serviceSeconds = (performance.now() - t0) / 1000;
// Gateways send concurrently: the same number of new batches from 4 senders at once. On PostgreSQL
// one batch's validation overlaps another's insert; SQLite's driver is synchronous, so it cannot.
const SENDERS = 4;
const concurrent = Array.from({ length: ingest ? batches.length : 0 }, (_, b) => makeBatch(batches.length + b));
t0 = performance.now();
await Promise.all(
  Array.from({ length: SENDERS }, async () => {
    for (let batch = concurrent.shift(); batch; batch = concurrent.shift())
      await ingestAuthEvents({ actor: adminActor, ip: "bench" }, batch);
  }),
);
const concurrentSeconds = (performance.now() - t0) / 1000;
const stored = ((await db.authEvent.count()) - BATCH) / 2;
await disconnectDb();

// Instances of a cluster send from processes of their own: on PostgreSQL, the same number of batches from
// one sender in one process, and from 4 senders in 2 processes (2 each, as two instances behind a balancer),
// in alternating rounds (this machine's speed moves from minute to minute); the ratio is the median of the
// rounds'. Not on SQLite, where one file takes one write at a time whatever the processes.
const ROUNDS_ACROSS = 3;
const across: { one: number[]; two: number[] } = { one: [], two: [] };
if (ingest && provider === "postgres")
  for (let round = 0; round < ROUNDS_ACROSS; round++)
    for (const shape of round % 2 ? (["two", "one"] as const) : (["one", "two"] as const))
      across[shape].push(
        shape === "one"
          ? await sendFromProcesses(1, 1, batches.length, round * 10)
          : await sendFromProcesses(2, 2, batches.length / 2, round * 10 + 2),
      );

/**
 * Events/s from `processes` sender processes (lib/cli/bench-ingest-sender.ts) of `senders` each, sending
 * `batchesEach` batches of BATCH events each: timed from when all are ready until the last is done.
 */
async function sendFromProcesses(processes: number, senders: number, batchesEach: number, seed: number) {
  const children = Array.from({ length: processes }, (_, p) =>
    spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=react-server",
        "lib/cli/bench-ingest-sender.ts",
        ...["--admin", admin.id, "--batches", String(batchesEach), "--senders", String(senders)],
        ...["--seed", String(seed + p + 1)],
      ],
      { env: { ...process.env, DATABASE_URL: database.url }, stdio: ["pipe", "pipe", "inherit"] },
    ),
  );
  try {
    const lines = children.map((child) => readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]());
    const said = async (line: AsyncIterator<string>, want: string) => {
      const { value } = await line.next();
      if (value !== want) throw new Error(`a sender process said ${JSON.stringify(value)}, not ${want}`);
    };
    await Promise.all(lines.map((line) => said(line, "ready")));
    const start = performance.now();
    for (const child of children) child.stdin.write("go\n");
    await Promise.all(lines.map((line) => said(line, "done")));
    const seconds = (performance.now() - start) / 1000;
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : null)));
    return (processes * batchesEach * BATCH) / seconds;
  } finally {
    for (const child of children) child.kill("SIGKILL");
  }
}

// The ceiling: the same rows, inserted with the driver alone (SQLite: prepared multi-row INSERTs;
// PostgreSQL: COPY; one transaction per batch) into an empty copy of the table.
const rawIds = batches.flatMap((b) => newEventBatch(b.length, new Date()).ids);
const rows = batches
  .flat()
  .map((e, i) => [rawIds[i]!, e.time, e.api, e.clientId, e.principal, e.outcome, e.sourceIp, e.method, e.route]);
const rawSeconds = ingest ? await driverCeiling(provider, database.url, rows, BATCH) : NaN;

// --- 2. GET /api/v1/apis under load ---------------------------------------------------------------
process.env.DATABASE_URL = database.url;
const { secret } = await createToken({ actor: adminActor, ip: "bench" }, null, {
  name: "bench",
  scopes: ["inventory:read"],
  teamId: "",
  expiresInDays: 1,
});
const { disconnectDb: disconnectAgain } = await import("@/lib/db/client");
await disconnectAgain();
// --no-load skips the HTTP part (quick runs while tuning ingestion).
const load = flags["no-load"] ? null : await measureLoad(secret);

type LoadResult = {
  rps: number;
  median: number;
  p95: number;
  statuses: Record<string, number>;
  bytes: number;
  /** Requests/s in each round, in round order. */
  rounds: number[];
  /** CPU time spent serving, per request (ms): see serverCpuMs. */
  cpuMs: number;
};
type Target = {
  url: string;
  latencies: number[];
  statuses: Record<string, number>;
  requests: number;
  rounds: number[];
  /** Server-side CPU time during this target's turns (ms). */
  cpu: number;
};

/**
 * CPU time the machine spent outside this process (ms): the non-idle time of every core from /proc/stat,
 * less this process's own (the load generator runs in it). Only the server being driven is busy in its turn,
 * so the difference across a turn is what serving cost: its process, the database's (PostgreSQL's backends
 * included) and the kernel's work for them. Unlike requests/s it does not move with the cores' speed from
 * minute to minute as much, nor with how the load generator and the server share them. NaN off Linux.
 */
function serverCpuMs(): number {
  let line: string;
  try {
    line = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  } catch {
    return NaN;
  }
  // cpu user nice system idle iowait irq softirq steal …, in clock ticks (USER_HZ, 100 on Linux). Steal is
  // time a virtual machine's host gave to others: not work done here.
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (user! + nice! + system! + irq! + softirq!) * 10;
  const own = process.cpuUsage();
  return busy - (own.user + own.system) / 1000;
}

/** One measured run of autocannon against `target` (after its warm-up), added to what it already holds. */
async function drive(target: Target, token: string, seconds: number): Promise<void> {
  const cpu0 = serverCpuMs();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, connections: CONNECTIONS, duration: seconds, headers: { Authorization: `Bearer ${token}` } },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      target.latencies.push(responseTime);
      target.statuses[statusCode] = (target.statuses[statusCode] ?? 0) + 1;
    });
  });
  target.cpu += serverCpuMs() - cpu0;
  target.requests += result.requests.total;
  target.rounds.push(result.requests.total / seconds);
}

/**
 * Every server at once, measured in turns: the app (a production server, as `npm start` runs it), the same
 * app on a second server with every request through Next's pipeline (APILEDGER_DIRECT_READS=off: how it
 * answered before lib/server/direct-reads.ts), the framework's floor on the app's server, and the bare
 * node:http server (lib/cli/bench-api-ceiling.ts) answering the same page from the same database: the
 * ceiling. This machine's speed moves from minute to minute (the ceiling measured 533–706 req/s within
 * the hour), so one run of each after the other compared minutes, not servers: ROUNDS rounds, each
 * driving every server for SECONDS ÷ ROUNDS, and the ratio is the median of the rounds'. The rounds' orders
 * form a Williams design (every server first in one round, and right after each other server in one round:
 * what one leaves behind — a call-log batch, garbage — falls on each of the others alike). Neither app server
 * runs the background jobs (APILEDGER_JOBS=worker, as instances beside a worker process): the ceiling runs
 * none, and jobs on one of the servers only would load the cores during its turns.
 */
async function measureLoad(
  token: string,
): Promise<Record<"app" | "viaNext" | "floor" | "ceiling", LoadResult> & { ratios: number[] }> {
  const page = "/api/v1/apis?limit=50&sort=-updatedAt";
  const common = {
    APILEDGER_API_RATE_PER_MINUTE: "100000000",
    APILEDGER_ADDRESS_RATE_PER_MINUTE: "100000000",
    APILEDGER_JOBS: "worker",
  };
  // --profile DIR: CPU profiles of the app's processes (open the largest .cpuprofile in Chrome's DevTools).
  const profile: Record<string, string> =
    typeof flags.profile === "string"
      ? {
          NODE_OPTIONS: `--import ${path.resolve("lib/cli/cpu-profile-hook.mjs")}`,
          APILEDGER_CPU_PROFILE_DIR: path.resolve(flags.profile),
        }
      : {};
  const app = await startSignedInServer(database.url, PORT, "admin@bench.example", PASSWORD, { ...common, ...profile });
  const viaNext = await startSignedInServer(database.url, PORT + 2, "admin@bench.example", PASSWORD, {
    ...common,
    ...profile,
    APILEDGER_DIRECT_READS: "off",
  });
  const ceiling = spawn(
    process.execPath,
    ["--import", "tsx", "lib/cli/bench-api-ceiling.ts", "--port", String(PORT + 1)],
    {
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    await once(ceiling.stdout, "data");
    const target = (url: string): Target => ({ url, latencies: [], statuses: {}, requests: 0, rounds: [], cpu: 0 });
    const targets = {
      app: target(`http://localhost:${PORT}${page}`),
      viaNext: target(`http://localhost:${PORT + 2}${page}`),
      // The framework's floor on the app's server: a route that reads nothing (routing, a handler, a JSON
      // response) through Next's pipeline. It also passes proxy.ts, which /api/v1 routes skip.
      floor: target(`http://localhost:${PORT}/api/health`),
      ceiling: target(`http://127.0.0.1:${PORT + 1}${page}`),
    };
    const order = Object.values(targets);
    const bytes = new Map<Target, number>();
    // A warm-up for each (JIT, prepared statements, the page cache), not counted.
    for (const t of order) {
      const sample = await fetch(t.url, { headers: { Authorization: `Bearer ${token}` } });
      bytes.set(t, (await sample.arrayBuffer()).byteLength);
      await autocannon({ url: t.url, connections: 10, duration: 5, headers: { Authorization: `Bearer ${token}` } });
    }
    const each = SECONDS / ROUNDS;
    for (let round = 0; round < ROUNDS; round++)
      for (const i of williamsRow(order.length, round % order.length)) await drive(order[i]!, token, each);
    const result = (t: Target): LoadResult => ({
      rps: t.requests / SECONDS,
      ...stats(t.latencies),
      statuses: t.statuses,
      bytes: bytes.get(t) ?? 0,
      rounds: t.rounds,
      cpuMs: t.cpu / t.requests,
    });
    return {
      app: result(targets.app),
      viaNext: result(targets.viaNext),
      floor: result(targets.floor),
      ceiling: result(targets.ceiling),
      ratios: targets.app.rounds.map((r, i) => r / targets.ceiling.rounds[i]!),
    };
  } finally {
    ceiling.kill("SIGTERM");
    await Promise.all([app.stopped(), viaNext.stopped()]);
  }
}

/** Row `r` of a Williams square for an even `n`: 0, n-1, 1, n-2, … shifted by r. */
function williamsRow(n: number, r: number): number[] {
  return Array.from({ length: n }, (_, j) => ((j % 2 ? n - (j + 1) / 2 : j / 2) + r) % n);
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// --- 3. Scanning the largest description -----------------------------------------------------------
const dir = path.resolve("../shared/data/openapi");
const largest = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => /\.(json|ya?ml)$/.test(f))
      .map((f) => ({ f, size: fs.statSync(path.join(dir, f)).size }))
      .sort((a, b) => b.size - a.size)[0]
  : undefined;
let scan: ReturnType<typeof stats> | null = null;
let operations = 0;
if (largest) {
  const text = fs.readFileSync(path.join(dir, largest.f), "utf8");
  scan = stats(
    await timeRuns(10, async () => {
      operations = scanDescription(parseDescription(text), { sensitivity: "PROTECTED", readsNonPublic: true }).counts
        .operations;
    }),
  );
}
await database.drop();

console.log(`\n| ${provider} | value |`);
console.log("|---|---:|");
if (ingest) {
  console.log(
    `| events stored through the service (${(stored / 1000).toFixed(0)}k, batches of ${BATCH.toLocaleString("en-AU")}) | ${Math.round(stored / serviceSeconds).toLocaleString("en-AU")} events/s |`,
  );
  console.log(
    `| the same from ${SENDERS} concurrent senders | ${Math.round(stored / concurrentSeconds).toLocaleString("en-AU")} events/s |`,
  );
  console.log(
    `| same rows, database driver alone | ${Math.round(rows.length / rawSeconds).toLocaleString("en-AU")} events/s |`,
  );
  console.log(`| service / driver | ${(rows.length / rawSeconds / (stored / serviceSeconds)).toFixed(2)}× slower |`);
  if (across.one.length) {
    const each = (xs: number[]) => xs.map((x) => Math.round(x).toLocaleString("en-AU")).join(", ");
    console.log(`| one sender in a process of its own (rounds) | ${each(across.one)} events/s |`);
    console.log(`| 4 senders in 2 processes, 2 each (rounds) | ${each(across.two)} events/s |`);
    console.log(
      `| 4 senders in 2 processes / one sender, median of the rounds | ${median(across.two.map((x, i) => x / across.one[i]!)).toFixed(2)}× |`,
    );
  }
}
if (load) {
  const rounds = (r: LoadResult) => r.rounds.map((x) => Math.round(x)).join(", ");
  const line = (who: string, r: LoadResult) =>
    `| ${who} | ${Math.round(r.rps).toLocaleString("en-AU")} req/s (rounds: ${rounds(r)}), median / p95 ${r.median.toFixed(0)} / ${r.p95.toFixed(0)} ms, ${r.cpuMs.toFixed(2)} ms of server CPU a request, ${r.bytes < 1024 ? `${r.bytes} B` : `${(r.bytes / 1024).toFixed(1)} KiB`} a response, statuses ${JSON.stringify(r.statuses)} |`;
  const what = `${N.toLocaleString("en-AU")} APIs, ${CONNECTIONS} connections, ${SECONDS} s in ${ROUNDS} rounds`;
  console.log(line(`GET /api/v1/apis, the app (${what})`, load.app));
  console.log(line("the same through Next's pipeline (APILEDGER_DIRECT_READS=off)", load.viaNext));
  console.log(line("GET /api/health on the app's server (the framework's floor: no data read)", load.floor));
  console.log(line("GET /api/v1/apis, bare node:http on the driver (ceiling)", load.ceiling));
  console.log(
    `| app / ceiling, median of the rounds (each round's) | ${median(load.ratios).toFixed(2)} (${load.ratios.map((r) => r.toFixed(2)).join(", ")}) |`,
  );
  const ratio = (r: LoadResult) => median(r.rounds.map((x, i) => x / load.ceiling.rounds[i]!)).toFixed(2);
  console.log(`| app through Next's pipeline / ceiling, median of the rounds | ${ratio(load.viaNext)} |`);
  console.log(`| framework floor / ceiling, median of the rounds | ${ratio(load.floor)} |`);
  console.log(
    `| server CPU a request, app / ceiling (through Next's pipeline / ceiling) | ${(load.app.cpuMs / load.ceiling.cpuMs).toFixed(2)}× (${(load.viaNext.cpuMs / load.ceiling.cpuMs).toFixed(2)}×) |`,
  );
}
if (scan && largest)
  console.log(
    `| scan ${largest.f} (${(largest.size / 1048576).toFixed(1)} MB, ${operations} operations): median / p95 | ${scan.median.toFixed(0)} / ${scan.p95.toFixed(0)} ms |`,
  );
process.exit(0);
