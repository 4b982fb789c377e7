// npm run bench:evidence [-- --postgres] [--apis 10000] [--reviews 40000] [--events 1000000]
// An evidence bundle for a year with N APIs, R signed-off access reviews and E authentication events:
// wall time and peak memory of `npm run evidence:export` (a separate process, as an operator runs it),
// and, as the floor to compare with, a plain `zip -r` of the same files. Part of `npm run bench`.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import { ROOT, parseFlags } from "@/lib/cli/run";
import { seedBenchInventory } from "@/lib/cli/bench-kit";
import { sqlitePath } from "@/lib/db/db-url";
import { createTestDatabase } from "@/lib/testing/test-db";
import { newEventBatch } from "@/lib/events/event-id";

const flags = parseFlags(process.argv.slice(2));
const provider = flags.postgres ? "postgres" : "sqlite";
const N = Number(flags.apis ?? 10_000);
const R = Number(flags.reviews ?? 40_000);
const E = Number(flags.events ?? 1_000_000);
const YEAR = 2026;

console.log(
  `bench:evidence ${provider}: ${N.toLocaleString()} APIs, ${R.toLocaleString()} reviews, ${E.toLocaleString()} events, ${os.cpus().length} cores, node ${process.version}`,
);
const database = await createTestDatabase(provider);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-bench-evidence-"));
process.env.DATABASE_URL = database.url;
process.env.APILEDGER_DATA_DIR = dataDir;
const { db, disconnectDb } = await import("@/lib/db/client");
let t0 = performance.now();
const { owners } = await seedBenchInventory(database, N, "bench-password-123");
const apiIds = (await db.api.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((a) => a.id);
await disconnectDb();

// Reviews and events are fixtures: written with the driver directly (the service paths have their own
// benchmarks), in the shapes the services write.
let seed = 11;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const stamp = (d: Date) => (provider === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d);
const quarters = [1, 2, 3, 4].map((q) => ({
  id: `bench-campaign-${q}`,
  quarter: `${YEAR}-Q${q}`,
  startsOn: new Date(Date.UTC(YEAR, (q - 1) * 3, 1)),
  endsOn: new Date(Date.UTC(YEAR, q * 3, 0)),
}));
const campaignRows = quarters.map((c) => [
  c.id,
  c.quarter,
  stamp(c.startsOn),
  stamp(c.endsOn),
  stamp(new Date(c.endsOn.getTime() + 14 * 86_400_000)),
  stamp(c.endsOn),
]);
const decisions = JSON.stringify(
  Object.fromEntries(
    Array.from({ length: 5 }, (_, i) => [
      `client-${i}`,
      { decision: i === 4 ? "REVOKE" : "KEEP", reason: i === 4 ? "No longer used by the payments batch." : "" },
    ]),
  ),
);
const checklist = JSON.stringify({
  authn: { answer: "YES", comment: "mTLS at the gateway" },
  authz: { answer: "YES", comment: "" },
  logging: { answer: "PARTIAL", comment: "SIEM forwarding for prod only" },
});
const reviewRows = Array.from({ length: R }, (_, i) => {
  const c = quarters[i % 4]!;
  const signed = new Date(c.endsOn.getTime() - Math.floor(rand() * 20) * 86_400_000);
  const reviewer = owners[Math.floor(rand() * owners.length)]!;
  return [
    `bench-review-${i}`,
    c.id,
    apiIds[Math.floor(i / 4) % apiIds.length]!,
    reviewer,
    "SIGNED_OFF",
    "Quarterly review meeting; grants checked against the service register.",
    decisions,
    checklist,
    stamp(signed),
    reviewer,
    stamp(signed),
    stamp(signed),
  ];
});
const REVIEW_COLS = `"id","campaignId","apiId","reviewerId","status","findings","decisions","checklist","signedOffAt","signedOffById","createdAt","updatedAt"`;
const EVENT_COLS = `"id","at","apiId","clientId","principal","outcome","sourceIp","method","route"`;
const start = Date.UTC(YEAR, 0, 1);
// Received in batches of 50,000, each an hour after the last event it holds.
const eventBatch = (i: number) =>
  newEventBatch(
    Math.min(50_000, E - i),
    new Date(start + Math.floor(((i + 50_000) / E) * 300 * 86_400_000) + 3_600_000),
  ).ids;
const event = (i: number, id: string) => {
  const at = new Date(start + Math.floor((i / E) * 300 * 86_400_000));
  return [
    id,
    stamp(at),
    apiIds[Math.floor(rand() * apiIds.length)]!,
    `client-${Math.floor(rand() * 20)}`,
    `user-${Math.floor(rand() * 5000)}`,
    rand() < 0.03 ? "authn_failure" : "success",
    `10.${Math.floor(rand() * 4)}.${Math.floor(rand() * 250)}.${Math.floor(rand() * 250)}`,
    "GET",
    `/v1/resource/${Math.floor(rand() * 100)}`,
  ];
};
if (provider === "sqlite") {
  const file = new Database(sqlitePath(database.url));
  const insert = (table: string, cols: string, rows: unknown[][]) => {
    const n = cols.split(",").length;
    const per = Math.floor(30_000 / n);
    file.transaction(() => {
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        file
          .prepare(
            `INSERT INTO "${table}" (${cols}) VALUES ${chunk.map(() => `(${Array(n).fill("?").join(",")})`).join(",")}`,
          )
          .run(...chunk.flat());
      }
    })();
  };
  insert("ReviewCampaign", `"id","quarter","startsOn","endsOn","dueOn","openedAt"`, campaignRows);
  insert("Review", REVIEW_COLS, reviewRows);
  for (let i = 0; i < E; i += 50_000)
    insert(
      "AuthEvent",
      EVENT_COLS,
      eventBatch(i).map((id, k) => event(i + k, id)),
    );
  file.exec("ANALYZE");
  file.close();
} else {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const insert = async (table: string, cols: string, rows: unknown[][]) => {
    const n = cols.split(",").length;
    const per = Math.floor(30_000 / n);
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      await client.query(
        `INSERT INTO "${table}" (${cols}) VALUES ${chunk.map((_, r) => `(${Array.from({ length: n }, (_, c) => `$${r * n + c + 1}`).join(",")})`).join(",")}`,
        chunk.flat(),
      );
    }
  };
  await insert("ReviewCampaign", `"id","quarter","startsOn","endsOn","dueOn","openedAt"`, campaignRows);
  await insert("Review", REVIEW_COLS, reviewRows);
  for (let i = 0; i < E; i += 50_000)
    await insert(
      "AuthEvent",
      EVENT_COLS,
      eventBatch(i).map((id, k) => event(i + k, id)),
    );
  await client.query("ANALYZE");
  await client.end();
}
console.log(`bench:evidence: seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

// The export, as a separate process; its peak resident memory read from /proc while it runs.
const out = path.join(dataDir, "bundle.zip");
t0 = performance.now();
// Exactly what `npm run evidence:export` runs, minus npm itself: its build of the command into one
// file (timed with the export), then the node process (its flags cap the heap) whose memory is read.
const script = (
  JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts["evidence:export"]!;
const steps = script.split(" && ");
const build = steps.slice(0, -1).join(" && ");
const built = spawnSync("sh", ["-c", build], {
  cwd: ROOT,
  env: { ...process.env, PATH: `${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH}` },
  encoding: "utf8",
});
if (built.status !== 0) throw new Error(`evidence:export's build failed:\n${built.stderr}`);
// The last step is `[NAME=value …] node <flags> <file>`: its environment settings, then node's arguments.
const words = steps.at(-1)!.split(/\s+/);
const settings = Object.fromEntries(
  words.filter((w, i) => i < words.indexOf("node") && w.includes("=")).map((w) => w.split("=", 2) as [string, string]),
);
const args = words.slice(words.indexOf("node") + 1);
const child = spawn(process.execPath, [...args, "--period", String(YEAR), "--out", out], {
  cwd: ROOT,
  env: { ...process.env, ...settings },
  stdio: ["ignore", "pipe", "pipe"],
});
let peakKb = 0;
const poll = setInterval(() => {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"));
    if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
  } catch {
    /* the process has just exited */
  }
}, 50);
let stderr = "";
child.stderr.on("data", (d) => (stderr += d));
const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
clearInterval(poll);
const exportSeconds = (performance.now() - t0) / 1000;
if (code !== 0) throw new Error(`evidence:export failed:\n${stderr}`);
const zipBytes = fs.statSync(out).size;

// The floor: the same files, unpacked, zipped by Info-ZIP at its default level.
const unpacked = path.join(dataDir, "unpacked");
fs.mkdirSync(unpacked);
let plain: { seconds: number; bytes: number; input: number } | null = null;
if (spawnSync("unzip", ["-q", out, "-d", unpacked]).status === 0) {
  const input = Number(spawnSync("du", ["-sb", unpacked], { encoding: "utf8" }).stdout.split("\t")[0]);
  t0 = performance.now();
  const zipped = spawnSync("zip", ["-q", "-r", path.join(dataDir, "plain.zip"), "."], { cwd: unpacked });
  if (zipped.status === 0)
    plain = {
      seconds: (performance.now() - t0) / 1000,
      bytes: fs.statSync(path.join(dataDir, "plain.zip")).size,
      input,
    };
}
// --keep leaves the database and data folder for profiling the export by hand.
if (flags.keep) console.log(`kept: DATABASE_URL=${database.url} APILEDGER_DATA_DIR=${dataDir}`);
else {
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const mb = (b: number) => b / 1048576;
console.log(`\n| ${provider} | value |`);
console.log("|---|---:|");
console.log(
  `| bundle: ${N.toLocaleString("en-AU")} APIs, ${R.toLocaleString("en-AU")} reviews, ${E.toLocaleString("en-AU")} events | ${exportSeconds.toFixed(1)} s, peak RSS ${(peakKb / 1024).toFixed(0)} MB, ZIP ${mb(zipBytes).toFixed(0)} MB |`,
);
if (plain) {
  console.log(
    `| content (${mb(plain.input).toFixed(0)} MB uncompressed): export throughput | ${(mb(plain.input) / exportSeconds).toFixed(1)} MB/s |`,
  );
  console.log(
    `| plain \`zip -r\` of the same files (floor) | ${plain.seconds.toFixed(1)} s, ${(mb(plain.input) / plain.seconds).toFixed(1)} MB/s, ZIP ${mb(plain.bytes).toFixed(0)} MB |`,
  );
} else console.log("| plain zip | not measured (install zip and unzip) |");

// The targets (issue 15): at least half of zip's throughput on the same files in the same run, and
// peak resident memory under 250 MB. Both times cover the same bytes, so the ratio of throughputs is
// the inverse ratio of the times.
const ratio = plain ? plain.seconds / exportSeconds : null;
const checks = [
  {
    name: "throughput ≥ 0.5 of zip -r",
    ok: ratio !== null && ratio >= 0.5,
    value: ratio?.toFixed(2) ?? "not measured",
  },
  { name: "peak RSS < 250 MB", ok: peakKb / 1024 < 250, value: `${(peakKb / 1024).toFixed(0)} MB` },
];
console.log(`| ratio to zip -r throughput | ${ratio?.toFixed(2) ?? "not measured"} |`);
for (const c of checks) console.log(`${c.ok ? "ok  " : "MISS"} ${c.name}: ${c.value}`);
process.exit(0);
