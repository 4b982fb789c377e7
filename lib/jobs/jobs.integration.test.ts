// Issue 18: jobs ran from a setInterval in `npm start`'s launcher, so N instances ran them N times and a
// plain `next start` none. Now `npm run worker` processes (and servers, through instrumentation.ts) share
// one queue on PostgreSQL; on SQLite the same jobs run in the one process. Real worker processes, a real
// SMTP server, and pg-boss's own table are what this reads.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startSmtpServer, type ReceivedMail } from "@/lib/testing/smtp-server";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db, IDLE_TRANSACTION_CUTOFF_MS } from "@/lib/db/client";
import { seedDemo, SYSTEM_ACTOR } from "@/prisma/seed";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { JOB_SCHEMA, JOBS, retriesFor } from "@/lib/jobs/catalogue";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { getJobsOverview } from "@/lib/jobs/queries";
import { LAPSE_SECONDS, requestEvidenceExport, requeueLapsedExports } from "@/lib/evidence/export-jobs";
import { getEvidenceExport } from "@/lib/evidence/queries";
import { verifyBundle } from "@/lib/evidence/verify-bundle";
import { signingKey } from "@/lib/signing/key";
import { blobStore } from "@/lib/storage/blob-store";
import { personActor } from "@/lib/testing/actors";
import { verifyAuditChain } from "@/lib/audit/verify";

type Worker = { process: ChildProcess; output: () => string; exited: Promise<number | null> };

function startWorker(env: NodeJS.ProcessEnv): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/worker.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  return { process: child, output: () => output, exited: new Promise((resolve) => child.on("exit", resolve)) };
}

async function until(what: string, check: () => Promise<boolean>, seconds = 90): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** An auditor's export of this year, queued; and the custody entries counted before any is built. */
async function exportRequested() {
  const auditor = await personActor("auditor@example.com");
  const { id } = await requestEvidenceExport({ actor: auditor }, { period: String(new Date().getUTCFullYear()) });
  const custody = () => db.auditEntry.count({ where: { action: "evidence.export" } });
  return { auditor, id, custody, custodyBefore: await custody() };
}

/** Starts another worker, waits for it to finish the export, and stops it (it exits cleanly). */
async function finishElsewhere(env: NodeJS.ProcessEnv, id: string): Promise<Worker> {
  const auditor = await personActor("auditor@example.com");
  const worker = startWorker(env);
  try {
    await until(
      "another worker to finish the export",
      async () => (await getEvidenceExport(auditor, id)).status !== "RUNNING",
      120,
    );
  } finally {
    worker.process.kill("SIGTERM");
  }
  expect(await worker.exited, worker.output()).toBe(0);
  return worker;
}

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`background jobs on ${provider}`, () => {
    let database: TestDatabase;
    let server: Awaited<ReturnType<typeof startSmtpServer>>;
    const received: ReceivedMail[] = [];
    let env: NodeJS.ProcessEnv;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-jobs-"));
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      server = await startSmtpServer(received);
      // Notifications are queued for e-mail only when SMTP is configured where they are made.
      process.env.SMTP_URL = server.url;
      env = {
        ...process.env,
        DATABASE_URL: database.url,
        SMTP_URL: server.url,
        APILEDGER_JOB_RETRY_SECONDS: "1",
        // On SQLite a worker runs only where the servers leave the jobs to it.
        APILEDGER_JOBS: "worker",
        // The workers' own data folder: the audit checkpoints go to its file.
        APILEDGER_DATA_DIR: dataDir,
        // Bundles go to the shared store: on PostgreSQL the database itself, as in a cluster.
        APILEDGER_BLOB_STORE: provider === "postgres" ? "postgres" : "local",
      };
      // This process reads the bundles and signs nothing of its own: the same folder and store.
      process.env.APILEDGER_DATA_DIR = dataDir;
      process.env.APILEDGER_BLOB_STORE = env.APILEDGER_BLOB_STORE;
    }, 120_000);
    afterAll(async () => {
      delete process.env.APILEDGER_DATA_DIR;
      delete process.env.APILEDGER_BLOB_STORE;
      delete process.env.SMTP_URL;
      await server?.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it(`${provider === "postgres" ? "two workers run" : "a worker runs"} every job once per interval; each queued e-mail is sent once`, async () => {
      await openCampaign({ actor: SYSTEM_ACTOR }, { quarter: "2026-Q4", extraApiIds: [] });
      const queued = await db.notification.findMany({ where: { emailStatus: "PENDING" }, select: { id: true } });
      expect(queued.length).toBeGreaterThan(3);
      const began = Date.now();
      // On SQLite one process runs the jobs (a second would run them again: README says so).
      const workers = Array.from({ length: provider === "postgres" ? 2 : 1 }, () => startWorker(env));
      try {
        await until("every worker offering its jobs", async () =>
          workers.every((w) => /running \d+ background jobs/.test(w.output())),
        );
        await until("every job's first run and every e-mail", async () => {
          const runs = await db.jobRun.count();
          const open = await db.notification.count({ where: { emailStatus: { in: ["PENDING", "SENDING"] } } });
          return runs === JOBS.length && open === 0;
        });
        // Long enough for any job offered twice to have been claimed (workers poll every 2 s) and run.
        await new Promise((r) => setTimeout(r, 8_000));
      } finally {
        for (const w of workers) w.process.kill("SIGTERM");
      }
      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes, workers.map((w) => w.output()).join("\n---\n")).toEqual(workers.map(() => 0));
      const ended = Date.now();
      expect(received).toHaveLength(queued.length);
      expect(await db.notification.count({ where: { emailStatus: "SENT" } })).toBe(queued.length);

      // Each job ran once per slot of its interval that the test spanned, whichever process offered it.
      const runs = new Map((await db.jobRun.findMany()).map((r) => [r.name, r]));
      for (const job of JOBS) {
        const every = job.everySeconds(process.env) * 1000;
        const slots = Math.floor(ended / every) - Math.floor(began / every) + 1;
        const run = runs.get(job.name)!;
        expect(run.lastOk, `${job.name}: ${run.lastSummary}`).toBe(true);
        expect(run.runs, job.name).toBeGreaterThanOrEqual(1);
        expect(run.runs, job.name).toBeLessThanOrEqual(slots);
      }
      // Both processes were working the queue, not one idling.
      if (provider === "postgres")
        expect(workers.every((w) => /from the PostgreSQL queue/.test(w.output()))).toBe(true);
      const overview = await getJobsOverview({ ...process.env, DATABASE_URL: database.url });
      expect(overview.queue).toBe(provider === "postgres" ? "postgres" : "in-process");
      expect(overview.jobs.every((j) => j.last?.ok && !j.overdue)).toBe(true);

      // A worker started again within the hour runs no hourly job again (on SQLite the slot each job last
      // ran in is read back from JobRun; on PostgreSQL the queue holds the slot).
      const again = startWorker(env);
      try {
        await until("the worker to offer its jobs", async () => /running \d+ background jobs/.test(again.output()));
        await new Promise((r) => setTimeout(r, 6_000));
      } finally {
        again.process.kill("SIGTERM");
      }
      expect(await again.exited).toBe(0);
      const hourly = JOBS.filter((j) => j.everySeconds(process.env) === 3600).map((j) => j.name);
      for (const row of await db.jobRun.findMany({ where: { name: { in: hourly } } })) {
        const slots = Math.floor(Date.now() / 3_600_000) - Math.floor(began / 3_600_000) + 1;
        expect(row.runs, row.name).toBeLessThanOrEqual(slots);
      }
    }, 240_000);

    /** A fresh slot for an hourly job whose slot a test used (in the queue on PostgreSQL, by JobRun's last start on SQLite). */
    async function freshSlot(name: string) {
      await authorizedWrite(
        { actor: SYSTEM_ACTOR },
        { permission: "jobs:record-run", countsOnly: "jobs:record-run" },
        (tx) => tx.jobRun.update({ where: { name }, data: { lastStartedAt: new Date(Date.now() - 2 * 3_600_000) } }),
      );
      if (provider === "postgres") await queueQuery(`DELETE FROM "${JOB_SCHEMA}".job WHERE name = $1`, [name]);
    }

    async function queueQuery(sql: string, values: unknown[]): Promise<Record<string, unknown>[]> {
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        return (await admin.query(sql, values)).rows as Record<string, unknown>[];
      } finally {
        await admin.end();
      }
    }

    it("a failing job is retried with growing delays, then shown as failing with its error", async () => {
      const before = await db.jobRun.findUniqueOrThrow({ where: { name: "control-snapshot" } });
      await freshSlot("control-snapshot");
      const worker = startWorker({ ...env, APILEDGER_FAILPOINT: "job:control-snapshot" });
      // An hourly job with APILEDGER_JOB_RETRY_SECONDS=1: three retries fit in half an hour.
      const retries = retriesFor(3600, 1);
      expect(retries).toBe(3);
      // When each failure was recorded, to measure the back-off between them.
      const failedAt: number[] = [];
      try {
        await until(
          "the first run and every retry",
          async () => {
            const { failures } = await db.jobRun.findUniqueOrThrow({ where: { name: "control-snapshot" } });
            while (before.failures + failedAt.length < failures) failedAt.push(Date.now());
            return failures === before.failures + 1 + retries;
          },
          120,
        );
      } finally {
        worker.process.kill("SIGTERM");
      }
      expect(await worker.exited).toBe(0);
      // pg-boss's back-off, which the in-process runner follows: at least 1, 2 and 4 s between tries
      // (the delay doubling from APILEDGER_JOB_RETRY_SECONDS=1, plus up to as much again at random).
      const gaps = failedAt.slice(1).map((t, i) => t - failedAt[i]!);
      expect(gaps).toHaveLength(retries);
      gaps.forEach((gap, i) => expect(gap, `retry ${i + 1}`).toBeGreaterThanOrEqual(2 ** i * 1000 - 300));
      const overview = await getJobsOverview({ ...process.env, DATABASE_URL: database.url });
      const job = overview.jobs.find((j) => j.name === "control-snapshot")!;
      expect(job.last).toMatchObject({ ok: false, summary: "failpoint job:control-snapshot" });
      expect(job.last!.failingSince).not.toBeNull();
      expect(job.last!.lastOkAt).toBe(before.lastOkAt!.toISOString());
      expect(job.runs).toBe(before.runs + 1 + retries);
      // pg-boss gave up on it: the Settings page counts it as failed.
      if (provider === "postgres") expect(job.queue).toMatchObject({ failed: 1, waiting: 0, active: 0 });
      expect(worker.output()).toMatch(/job control-snapshot failed: failpoint job:control-snapshot/);
    }, 180_000);

    it(`a worker killed in the middle of a job's run: the job is run again ${provider === "postgres" ? "by another worker once its claim expires" : "when the worker starts again"}`, async () => {
      await freshSlot("finding-triage-expiry");
      const before = await db.jobRun.findUniqueOrThrow({ where: { name: "finding-triage-expiry" } });
      // A claim of 4 s (APILEDGER_JOB_CLAIM_SECONDS) instead of the hourly job's 48 minutes.
      const claimed = { ...env, APILEDGER_JOB_CLAIM_SECONDS: "4" };
      const first = startWorker({ ...claimed, APILEDGER_FAILPOINT: "job-running:finding-triage-expiry" });
      try {
        await until("the first worker to claim the job and start its run", async () =>
          first.output().includes("failpoint job-running:finding-triage-expiry reached"),
        );
      } finally {
        first.process.kill("SIGKILL");
      }
      await first.exited;
      // Killed mid-run: nothing recorded, and on PostgreSQL the queue still holds the run as claimed.
      expect((await db.jobRun.findUniqueOrThrow({ where: { name: "finding-triage-expiry" } })).runs).toBe(before.runs);
      // The run the killed worker had claimed (a test crossing the hour may also find the next slot's).
      const queued = async () =>
        (
          await queueQuery(`SELECT state, retry_count, started_on FROM "${JOB_SCHEMA}".job WHERE name = $1`, [
            "finding-triage-expiry",
          ])
        ).filter((r) => r.started_on !== null);
      if (provider === "postgres")
        expect((await queued()).map(({ state, retry_count }) => ({ state, retry_count }))).toEqual([
          { state: "active", retry_count: 0 },
        ]);
      const second = startWorker(claimed);
      try {
        await until(
          "the job's run to be run again and recorded",
          async () =>
            (await db.jobRun.findUniqueOrThrow({ where: { name: "finding-triage-expiry" } })).runs === before.runs + 1,
          60,
        );
      } finally {
        second.process.kill("SIGTERM");
      }
      expect(await second.exited, second.output()).toBe(0);
      const run = await db.jobRun.findUniqueOrThrow({ where: { name: "finding-triage-expiry" } });
      expect(run.lastOk, run.lastSummary).toBe(true);
      expect(run.lastRunner).toMatch(new RegExp(`:${second.process.pid}(:|$)`));
      // The same run of the same slot, retried by the queue after the claim ran out (not a new slot's run).
      if (provider === "postgres")
        expect((await queued()).map(({ state, retry_count }) => ({ state, retry_count }))).toEqual([
          { state: "completed", retry_count: 1 },
        ]);
    }, 120_000);

    it("an evidence export requested on one instance is built by a worker; killed mid-build, it is queued again and another worker finishes it into the shared store", async () => {
      const auditor = await personActor("auditor@example.com");
      const year = String(new Date().getUTCFullYear());
      // Requested here, where no builder runs (an app server with APILEDGER_JOBS=worker).
      const { id } = await requestEvidenceExport({ actor: auditor, ip: "10.1.2.3" }, { period: year });
      const first = startWorker({ ...env, APILEDGER_FAILPOINT: "export:build" });
      try {
        await until("the first worker to claim and start building the export", async () =>
          first.output().includes("failpoint export:build reached"),
        );
      } finally {
        first.process.kill("SIGKILL");
      }
      await first.exited;
      const claimed = await db.evidenceExport.findUniqueOrThrow({ where: { id } });
      expect(claimed).toMatchObject({ status: "QUEUED", attempts: 1, requestedFrom: "10.1.2.3" });
      expect(claimed.runner).toMatch(new RegExp(`:${first.process.pid}:`));
      // Its heartbeat stops; a minute later any process queues it again (here, this one, a minute on).
      expect(await requeueLapsedExports(new Date(Date.now() + 2 * LAPSE_SECONDS * 1000))).toEqual({
        requeued: 1,
        failed: 0,
      });
      const second = await finishElsewhere(env, id);
      const done = await db.evidenceExport.findUniqueOrThrow({ where: { id } });
      expect(done, second.output()).toMatchObject({ status: "DONE", attempts: 2, error: "" });
      expect(done.runner).toMatch(new RegExp(`:${second.process.pid}:`));
      // Read back from the store as any instance would, and verified with the installation's key.
      const file = path.join(dataDir, "from-store.zip");
      const stream = await blobStore().open(done.sha256);
      await new Promise<void>((resolve, reject) =>
        stream.pipe(fs.createWriteStream(file)).on("finish", resolve).on("error", reject),
      );
      expect(fs.statSync(file).size).toBe(Number(done.bytes));
      expect((await verifyBundle(file, { fingerprint: signingKey().fingerprint })).ok).toBe(true);
      // The export's own entries, and the custody entry of its bundle (named by the manifest's hash).
      const trail = await db.auditEntry.findMany({
        where: { targetId: { in: [id, done.manifestSha256] } },
        orderBy: { seq: "asc" },
        select: { action: true, ip: true },
      });
      expect(trail.map((e) => e.action)).toEqual([
        "evidence.export-requested",
        "evidence.export-requeued",
        "evidence.export",
        "evidence.export-stored",
      ]);
      // The custody entry carries the requester's address, though a worker wrote it.
      expect(trail.find((e) => e.action === "evidence.export")?.ip).toBe("10.1.2.3");
    }, 240_000);

    // PostgreSQL only: on SQLite a process stopped inside a write keeps the file's write lock, and nobody
    // can write until it is resumed (the README says so); the stop lands inside one often enough (its
    // heartbeat and jobs write) to make the test a matter of luck there.
    it.runIf(provider === "postgres")(
      "a worker frozen mid-build whose export was queued again and finished elsewhere leaves no custody entry when it wakes",
      async () => {
        const { id, custody, custodyBefore } = await exportRequested();
        const frozen = startWorker(env);
        // Frozen (SIGSTOP) the moment it has claimed the export, before it reaches the custody step.
        await until(
          "the first worker to claim the export",
          async () => !!(await db.evidenceExport.findUniqueOrThrow({ where: { id } })).runner,
          60,
        );
        frozen.process.kill("SIGSTOP");
        try {
          expect(await custody()).toBe(custodyBefore);
          expect(await requeueLapsedExports(new Date(Date.now() + 2 * LAPSE_SECONDS * 1000))).toEqual({
            requeued: 1,
            failed: 0,
          });
          await finishElsewhere(env, id);
          const done = await db.evidenceExport.findUniqueOrThrow({ where: { id } });
          expect(done).toMatchObject({ status: "DONE", attempts: 2 });
          expect(await custody()).toBe(custodyBefore + 1);
          // Woken, the first worker carries on with its build, and is refused at the custody step.
          frozen.process.kill("SIGCONT");
          await until(
            "the woken worker to drop its build",
            async () => /was queued again while this process built it/.test(frozen.output()),
            120,
          );
          expect(await custody()).toBe(custodyBefore + 1);
          expect(await db.evidenceExport.findUniqueOrThrow({ where: { id } })).toMatchObject({
            status: "DONE",
            sha256: done.sha256,
            manifestSha256: done.manifestSha256,
          });
        } finally {
          frozen.process.kill("SIGCONT");
          frozen.process.kill("SIGTERM");
          await frozen.exited;
        }
      },
      420_000,
    );

    it.runIf(provider === "postgres")(
      "a worker stopped while it holds the audit chain's lock holds up other instances' writes for half a minute, and leaves no custody entry",
      async () => {
        const { id, custody, custodyBefore } = await exportRequested();
        // Stopped inside its custody write: it holds the writers' and the chain's locks, as a paused VM
        // or a process under a debugger would. Its own transaction timeout cannot fire while it is stopped.
        const stopped = startWorker({ ...env, APILEDGER_FAILPOINT: "export:custody" });
        try {
          await until("the worker to reach its custody write", async () =>
            stopped.output().includes("failpoint export:custody reached"),
          );
          stopped.process.kill("SIGSTOP");
          const began = Date.now();
          // Any audited write waits for those locks: here, this instance queueing the export again.
          expect(await requeueLapsedExports(new Date(Date.now() + 2 * LAPSE_SECONDS * 1000))).toEqual({
            requeued: 1,
            failed: 0,
          });
          const waited = (Date.now() - began) / 1000;
          // PostgreSQL ended the stopped worker's session after IDLE_TRANSACTION_CUTOFF_MS idle in its
          // transaction, which rolled back: its locks went, and so did its custody entry.
          expect(waited).toBeLessThan(IDLE_TRANSACTION_CUTOFF_MS / 1000 + 20);
          expect(await custody()).toBe(custodyBefore);
          await finishElsewhere(env, id);
          expect(await db.evidenceExport.findUniqueOrThrow({ where: { id } })).toMatchObject({
            status: "DONE",
            attempts: 2,
          });
          expect(await custody()).toBe(custodyBefore + 1);
          // Its transaction is gone for good: nothing it held was committed, and the chain is whole.
          stopped.process.kill("SIGKILL");
          await stopped.exited;
          expect(await custody()).toBe(custodyBefore + 1);
          expect(await verifyAuditChain()).toMatchObject({ ok: true });
        } finally {
          stopped.process.kill("SIGCONT");
          stopped.process.kill("SIGKILL");
        }
      },
      300_000,
    );
  });
}
