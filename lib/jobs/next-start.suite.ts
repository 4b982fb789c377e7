// Issue 18: the background jobs ran from `npm start`'s launcher, so a plain `next start` — how containers
// usually run a Next app — ran none. Now Next's start hook (instrumentation.ts) starts them in the server,
// unless APILEDGER_JOBS=worker leaves them to `npm run worker`. Two plain `next start` servers from the
// production build, configured as README says for one without `npm start` (a session secret and a
// signing key in the environment), one of each setting: the one running jobs on PostgreSQL (pg-boss
// loaded through the hook), the other on SQLite.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import net from "node:net";
import Database from "better-sqlite3";
import pg from "pg";
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from "@/lib/testing/test-db";
import { ROOT } from "@/lib/testing/app-process";
import { sqlitePath } from "@/lib/db/db-url";
import { JOBS } from "@/lib/jobs/catalogue";

type Started = {
  child: ChildProcess;
  database: TestDatabase;
  dataDir: string;
  exited: Promise<number | null>;
  log: () => string;
};

/** Whether something already listens on the port (a server there would answer the health check instead). */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(port, "127.0.0.1");
    probe.once("connect", () => (probe.destroy(), resolve(true)));
    probe.once("error", () => resolve(false));
  });
}

async function nextStart(port: number, jobs: "server" | "worker", provider: "sqlite" | "postgres"): Promise<Started> {
  if (await portTaken(port)) throw new Error(`port ${port} is taken; this suite needs it`);
  const database = await createTestDatabase(provider);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-next-start-"));
  const key = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "--port", String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        APILEDGER_DATA_DIR: dataDir,
        NEXTAUTH_URL: `http://localhost:${port}`,
        NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
        APILEDGER_SIGNING_KEY: key,
        APILEDGER_JOBS: jobs,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start did not answer within 2 minutes:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, database, dataDir, exited, log: () => output };
}

/** The job runs recorded in a server's database, read without the app's client. */
async function jobRuns(database: TestDatabase): Promise<{ name: string; lastOk: boolean; lastSummary: string }[]> {
  const sql = `SELECT name, "lastOk", "lastSummary" FROM "JobRun"`;
  if (database.provider === "postgres") {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const file = new Database(sqlitePath(database.url), { readonly: true });
  try {
    return (file.prepare(sql).all() as { name: string; lastOk: number; lastSummary: string }[]).map((r) => ({
      ...r,
      lastOk: r.lastOk === 1,
    }));
  } finally {
    file.close();
  }
}

describe.runIf(await isPostgresAvailable())("background jobs under a plain `next start`", () => {
  let withJobs: Started;
  let withoutJobs: Started;
  beforeAll(async () => {
    [withJobs, withoutJobs] = await Promise.all([
      nextStart(3176, "server", "postgres"),
      nextStart(3177, "worker", "sqlite"),
    ]);
  }, 300_000);
  afterAll(async () => {
    for (const s of [withJobs, withoutJobs]) {
      if (!s) continue;
      s.child.kill("SIGKILL");
      await s.exited;
      await s.database.drop();
      fs.rmSync(s.dataDir, { recursive: true, force: true });
    }
  });

  it("runs every job in the server (first runs 30 s after start); with APILEDGER_JOBS=worker, none", async () => {
    const deadline = Date.now() + 120_000;
    while ((await jobRuns(withJobs.database)).length < JOBS.length) {
      if (Date.now() > deadline) throw new Error(`not every job ran:\n${withJobs.log()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const runs = await jobRuns(withJobs.database);
    expect(runs.map((r) => r.name).sort()).toEqual(JOBS.map((j) => j.name).sort());
    for (const run of runs) expect(run.lastOk, `${run.name}: ${run.lastSummary}`).toBe(true);
    expect(await jobRuns(withoutJobs.database)).toEqual([]);
  }, 180_000);
});
