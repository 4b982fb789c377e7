// The cluster proof (issue 18, `npm run test:cluster`, its own stage of `npm test`): two app instances
// and a worker on one PostgreSQL, behind a real HAProxy, with files and bundles in an S3 bucket with
// Object Lock (a one-node Ceph's RADOS Gateway), a real SMTP server and a real rsyslog as the SIEM. Streams of idempotent creates, If-Match updates and event
// batches (whose failures raise alerts that are e-mailed) go through the balancer while each instance
// in turn is killed with SIGKILL and started again, and the worker too. Then: no acknowledged write lost
// or doubled, retries answered from the first result, one audit chain that verifies, every alert e-mail
// sent exactly once, retention roll-ups run at once by three processes (one killed in the middle of a
// chunk) counting every old event exactly once, a rate limit that holds across the instances, an upload and an evidence bundle
// downloadable byte for byte from either instance, and the SIEM holding every audit entry. Each instance
// has its own data folder: nothing may depend on a file another instance wrote.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppServer, ROOT } from "@/lib/testing/app-process";
import { createTestDatabase, isPostgresAvailable, type TestDatabase } from "@/lib/testing/test-db";
import { startSmtpServer, type ReceivedMail } from "@/lib/testing/smtp-server";
import { HAS_RELP, RSYSLOGD, startRsyslog, type Rsyslog } from "@/lib/testing/rsyslog";
import { HAPROXY_BIN, startHaproxy, type Haproxy } from "@/lib/testing/haproxy";
import { HAS_CEPH, startCeph } from "@/lib/testing/ceph";
import { S3BlobStore } from "@/lib/storage/s3-blob-store";
import { s3Settings } from "@/lib/storage/s3-settings";
import { freePort } from "@/lib/testing/ports";
import { Client, apiBody, replayAll, runStreams, type Fixture, type Ledger } from "../faults/workload";
import { auditVerify, checkLedger, openReader, type Reader } from "../faults/verify";

const RUN = `k${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const AUTH_FAILURES_PER_MINUTE = 20;
const OLD_BATCHES = 8;
const OLD_BATCH_SIZE = 2500;

type Worker = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function startWorker(env: NodeJS.ProcessEnv, logFile: string): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/worker.ts"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (c: Buffer) => {
    output += c.toString();
    fs.appendFileSync(logFile, c);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { child, output: () => output, exited: new Promise((resolve) => child.on("exit", resolve)) };
}

type RollUp = {
  child: ChildProcess;
  stderr: () => string;
  output: () => string;
  exited: () => boolean;
  done: Promise<{ code: number | null; count: number }>;
};

/** One retention roll-up in a process of its own (e2e/cluster/roll-up.ts), as the job runs it. */
function startRollUp(env: NodeJS.ProcessEnv, chunk: number): RollUp {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "e2e/cluster/roll-up.ts", String(chunk)],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  let exited = false;
  const done = new Promise<{ code: number | null; count: number }>((resolve) =>
    child.on("exit", (code) => {
      exited = true;
      const last = stdout.trim().split("\n").at(-1) ?? "";
      resolve({ code, count: code === 0 ? (JSON.parse(last) as { count: number }).count : 0 });
    }),
  );
  return { child, stderr: () => stderr, output: () => `${stdout}\n${stderr}`, exited: () => exited, done };
}

/** How many times a job has run (its JobRun row), straight from the database. */
async function jobRuns(url: string, name: string): Promise<number> {
  const reader = await openReader(url);
  try {
    const [row] = await reader.all(`SELECT "runs" FROM "JobRun" WHERE "name" = '${name.replace(/'/g, "''")}'`);
    return Number(row?.runs ?? 0);
  } finally {
    await reader.close();
  }
}

async function until(what: string, check: () => Promise<boolean>, seconds = 120): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** GET from a given source address (HAProxy passes it on in X-Forwarded-For). */
function getFrom(url: string, localAddress: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "GET", headers, localAddress, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe.runIf(HAPROXY_BIN && RSYSLOGD && HAS_CEPH && (await isPostgresAvailable()))(
  "a cluster: two instances and a worker behind HAProxy on one PostgreSQL",
  () => {
    const cleanup: (() => Promise<unknown> | unknown)[] = [];
    afterAll(async () => {
      for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => {});
    });

    it("loses no acknowledged write while each instance and the worker are killed, and shares jobs, e-mail, limits, files and the SIEM", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-cluster-"));
      cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      const database: TestDatabase = await createTestDatabase("postgres");
      cleanup.push(() => database.drop());
      const received: ReceivedMail[] = [];
      const smtp = await startSmtpServer(received);
      cleanup.push(() => smtp.close());
      fs.mkdirSync(path.join(dir, "siem"));
      // Over RELP, as the README recommends: each entry answered once the collector has taken it.
      const siem: Rsyslog = await startRsyslog(path.join(dir, "siem"), await freePort(), { relp: HAS_RELP });
      cleanup.push(() => siem.stop());
      const ceph = await startCeph();
      cleanup.push(() => ceph.stop());
      await ceph.createBucket("cluster", { objectLock: true });
      // APILEDGER_CLUSTER_BLOB_STORE=local shows the test failing when the store is not shared.
      const store =
        process.env.APILEDGER_CLUSTER_BLOB_STORE === "local"
          ? { APILEDGER_BLOB_STORE: "local" }
          : { ...ceph.env("cluster"), APILEDGER_S3_LOCK_MODE: "governance", APILEDGER_S3_LOCK_DAYS: "1" };
      // One signing key and one session secret for every process, from the environment and a file.
      const keyFile = path.join(dir, "signing-key.pem");
      execFileSync("openssl", ["genpkey", "-algorithm", "ed25519", "-out", keyFile]);
      const [portA, portB] = [await freePort(), await freePort()];
      const common: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: "6",
        ...store,
        APILEDGER_JOBS: "worker",
        APILEDGER_TRUSTED_PROXIES: "127.0.0.1/32",
        NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
        APILEDGER_SIGNING_KEY_FILE: keyFile,
        SMTP_URL: smtp.url,
        APILEDGER_SIEM_URL: `syslog+${HAS_RELP ? "relp" : "tcp"}://127.0.0.1:${siem.port}`,
        APILEDGER_API_RATE_PER_MINUTE: "1000000",
        APILEDGER_ADDRESS_RATE_PER_MINUTE: "1000000",
        APILEDGER_AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES_PER_MINUTE),
        APILEDGER_JOB_RETRY_SECONDS: "1",
      };
      const own = (name: string) => {
        const data = path.join(dir, name);
        fs.mkdirSync(data, { recursive: true });
        return { ...common, APILEDGER_DATA_DIR: data };
      };
      const a = new AppServer(portA, own("a"), path.join(dir, "a.log"));
      const b = new AppServer(portB, own("b"), path.join(dir, "b.log"));
      cleanup.push(
        () => a.kill(),
        () => b.kill(),
      );
      // The first start migrates and seeds; the second finds it done.
      await a.start();
      await b.start();
      let worker = startWorker(own("w"), path.join(dir, "worker.log"));
      cleanup.push(() => worker.child.kill("SIGKILL"));
      const balancer: Haproxy = await startHaproxy([
        { name: "a", port: portA },
        { name: "b", port: portB },
      ]);
      cleanup.push(() => balancer.stop());

      const made = execFileSync(
        process.execPath,
        ["--import", "tsx", "--conditions=react-server", "e2e/faults/make-token.ts"],
        { cwd: ROOT, env: own("t"), encoding: "utf8" },
      );
      const { token, teamId, ownerId } = JSON.parse(made.trim().split("\n").at(-1)!) as {
        token: string;
        teamId: string;
        ownerId: string;
      };
      const client = new Client(balancer.url, token);
      const f: Fixture = { run: RUN, teamId, ownerId, apiIds: [] };
      for (let i = 0; i < 2; i++) {
        const reply = await client.untilAcked(
          "POST",
          "/api/v1/apis",
          { body: apiBody(f, `cluster-${RUN}-target-${i}`), headers: { "idempotency-key": `${RUN}-target-${i}` } },
          201,
        );
        f.apiIds.push(String(reply.body.id));
      }

      // The worker runs each job once per interval from its start: its roll-up of this hour must be over before
      // the old events arrive, or it may take them all before the roll-up meant to be killed reads a chunk.
      await until("the worker's first roll-up", async () => (await jobRuns(database.url, "event-roll-up")) > 0);

      // Events past the retention period (400 days by default), through the balancer: ten days, five clients
      // and the two APIs. The roll-ups below must turn them into daily counts that add up to exactly these.
      const oldDays = Array.from({ length: 10 }, (_, d) => new Date(Date.now() - (430 + d) * 86_400_000));
      const expectedDaily = new Map<string, number>();
      for (let n = 0; n < OLD_BATCHES; n++) {
        const events = Array.from({ length: OLD_BATCH_SIZE }, (_, k) => {
          const day = oldDays[(n + k) % oldDays.length]!;
          const event = {
            time: new Date(day.getTime() + k * 1000).toISOString(),
            api: f.apiIds[k % f.apiIds.length]!,
            clientId: `old-${RUN}-${k % 5}`,
            outcome: "success",
          };
          const key = `${event.api} ${event.time.slice(0, 10)} ${event.clientId}`;
          expectedDaily.set(key, (expectedDaily.get(key) ?? 0) + 1);
          return event;
        });
        await client.untilAcked(
          "POST",
          "/api/v1/events/auth",
          { body: JSON.stringify(events), headers: { "idempotency-key": `${RUN}-old-${n}` } },
          201,
        );
      }

      // The streams, while each instance is killed and started again, then the worker.
      const ledger: Ledger = { creates: [], updates: [], batches: [], incidents: [] };
      let stopped = false;
      const streams = runStreams(client, f, ledger, () => stopped).then(
        () => null,
        (e: unknown) => e,
      );
      // Beside them, three roll-ups of those events at once (as two instances and a cron would run them):
      // the first is killed with its first chunk counted and deleted but not committed.
      const rollUpEnv = own("r");
      const killedRollUp = startRollUp({ ...rollUpEnv, APILEDGER_FAILPOINT: "roll-up:chunk-folded" }, 700);
      cleanup.push(() => killedRollUp.child.kill("SIGKILL"));
      await until("a roll-up to stop inside its first chunk", async () => {
        if (killedRollUp.stderr().includes("failpoint roll-up:chunk-folded reached")) return true;
        if (killedRollUp.exited())
          throw new Error(`the roll-up meant to be killed ended before its first chunk:\n${killedRollUp.output()}`);
        return false;
      });
      const rollUps = [startRollUp(rollUpEnv, 700), startRollUp(rollUpEnv, 900)];
      for (const r of rollUps) cleanup.push(() => r.child.kill("SIGKILL"));
      await sleep(300);
      killedRollUp.child.kill("SIGKILL");
      await killedRollUp.done;
      const kills: string[] = [];
      for (const [name, server] of [
        ["a", a],
        ["b", b],
      ] as const) {
        await sleep(6000);
        await server.kill();
        kills.push(`instance ${name}`);
        await sleep(1500);
        await server.start();
      }
      await sleep(4000);
      worker.child.kill("SIGKILL");
      await worker.exited;
      kills.push("worker");
      worker = startWorker(own("w"), path.join(dir, "worker.log"));
      await sleep(6000);
      stopped = true;
      const streamError = await streams;
      expect(streamError, `a stream failed: ${String(streamError)}\n${a.logTail()}\n${b.logTail()}`).toBeNull();
      const rolledUp = await Promise.all(rollUps.map((r) => r.done));
      expect(
        rolledUp.map((r) => r.code),
        rollUps.map((r) => r.stderr()).join("\n"),
      ).toEqual([0, 0]);

      // An upload (an OpenAPI description) and an evidence export, through the balancer.
      const description = JSON.stringify({
        openapi: "3.0.3",
        info: { title: `cluster ${RUN}`, version: "1" },
        paths: { "/things": { get: { security: [{ mtls: [] }], responses: { "200": { description: "ok" } } } } },
        components: { securitySchemes: { mtls: { type: "mutualTLS" } } },
      });
      // On an API of its own: attaching a description changes the API (its controls), and the streams' APIs
      // are counted version by version.
      const described = String(
        (
          await client.untilAcked(
            "POST",
            "/api/v1/apis",
            { body: apiBody(f, `cluster-${RUN}-described`), headers: { "idempotency-key": `${RUN}-described` } },
            201,
          )
        ).body.id,
      );
      const attached = await client.untilAcked(
        "PUT",
        `/api/v1/apis/${described}/openapi`,
        { body: description, headers: { "idempotency-key": `${RUN}-openapi` } },
        200,
      );
      expect(attached.status).toBe(200);
      const requested = await client.untilAcked(
        "POST",
        "/api/v1/evidence/exports",
        {
          body: JSON.stringify({ period: String(new Date().getUTCFullYear()), teamIds: [teamId] }),
          headers: { "idempotency-key": `${RUN}-export` },
        },
        202,
      );
      const exportId = String(requested.body.id);
      await until(
        "the worker to build the export",
        async () => {
          const reply = await client.call("GET", `/api/v1/evidence/exports/${exportId}`);
          return reply?.body.status === "DONE" || reply?.body.status === "FAILED";
        },
        180,
      );

      const reader: Reader = await openReader(database.url);
      cleanup.push(() => reader.close());
      // Every acknowledged write exactly once; retries answered from the first result.
      const problems = await checkLedger(reader, ledger, RUN);
      const mismatches = await replayAll(client, {
        ...ledger,
        creates: ledger.creates.filter((_, i) => i % Math.max(1, Math.floor(ledger.creates.length / 100)) === 0),
      });

      // The roll-ups: no old event left, daily counts exactly those sent (the killed one's chunk rolled back
      // and counted by another), and the audit entries of the roll-ups saying as much between them.
      const [oldLeft] = await reader.all(`SELECT count(*) AS n FROM "AuthEvent" WHERE "clientId" LIKE 'old-${RUN}-%'`);
      const daily = await reader.all(
        `SELECT "apiId", to_char("day", 'YYYY-MM-DD') AS day, "clientId", "outcome", "count" FROM "AuthEventDaily" WHERE "clientId" LIKE 'old-${RUN}-%'`,
      );
      const gotDaily = new Map(daily.map((r) => [`${r.apiId} ${r.day} ${r.clientId}`, Number(r.count)]));
      const rollUpEntries = await reader.all(`SELECT diff FROM "AuditEntry" WHERE action = 'events.roll-up'`);
      const audited = rollUpEntries.reduce(
        (sum, r) => sum + (JSON.parse(String(r.diff)) as { count: number }).count,
        0,
      );
      expect(Number(oldLeft!.n)).toBe(0);
      expect(Object.fromEntries(gotDaily)).toEqual(Object.fromEntries(expectedDaily));
      expect(audited).toBe(OLD_BATCHES * OLD_BATCH_SIZE);

      // The upload and the bundle, byte for byte the same from either instance (each has its own data folder).
      const [exportRow] = await reader.all(
        `SELECT status, sha256, error FROM "EvidenceExport" WHERE id = '${exportId}'`,
      );
      expect(exportRow, JSON.stringify(exportRow)).toMatchObject({ status: "DONE" });
      const fetched = async (base: string, pathname: string) => {
        const response = await fetch(base + pathname, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status, `${base}${pathname}`).toBe(200);
        return new Uint8Array(await response.arrayBuffer());
      };
      const bundleA = await fetched(a.url, `/api/v1/evidence/exports/${exportId}/bundle`);
      const bundleB = await fetched(b.url, `/api/v1/evidence/exports/${exportId}/bundle`);
      expect(sha256(bundleA)).toBe(exportRow!.sha256);
      expect(sha256(bundleB)).toBe(exportRow!.sha256);
      // The worker stored it WORM: under Object Lock until a day from now.
      const bucket = new S3BlobStore(s3Settings(common));
      const retention = await bucket.retentionOf(String(exportRow!.sha256));
      await bucket.close();
      expect(retention?.mode).toBe("GOVERNANCE");
      // The description's scan reads the stored file: each instance reads the bytes that were uploaded.
      for (const base of [a.url, b.url]) {
        const report = JSON.parse(Buffer.from(await fetched(base, `/api/v1/apis/${described}/openapi`)).toString()) as {
          sha256: string;
        };
        expect(report.sha256, base).toBe(sha256(Buffer.from(description)));
      }
      for (const name of ["a", "b", "w"]) expect(fs.readdirSync(path.join(dir, name)), name).not.toContain("files");

      // A limit shared by the instances: refused tokens from one address, counted once across both.
      const refused: number[] = [];
      for (let i = 0; i < 3 * AUTH_FAILURES_PER_MINUTE; i++)
        refused.push(
          await getFrom(`${balancer.url}/api/v1/apis`, "127.0.0.9", { authorization: `Bearer apl_wrong-${i}` }),
        );
      expect(refused.filter((s) => s === 401)).toHaveLength(AUTH_FAILURES_PER_MINUTE);
      expect(refused.filter((s) => s === 429)).toHaveLength(2 * AUTH_FAILURES_PER_MINUTE);
      // Counted against the client's address, which HAProxy passed on and the instances believed.
      const [recorded] = await reader.all(`SELECT sum(count) AS n FROM "SignInEvent" WHERE ip = '127.0.0.9'`);
      expect(Number(recorded!.n)).toBe(AUTH_FAILURES_PER_MINUTE);

      // The alert e-mails: none twice. Sending is at least once across a crash between handing a message
      // to the server and recording it (such a row stays claimed until its lease ends), so the messages
      // received lie between the rows recorded as sent and those plus the ones still claimed.
      await until(
        "the queued e-mails to be sent",
        async () =>
          Number(
            (await reader.all(`SELECT count(*) AS n FROM "Notification" WHERE "emailStatus" = 'PENDING'`))[0]!.n,
          ) === 0,
        180,
      );
      const [sent] = await reader.all(`SELECT count(*) AS n FROM "Notification" WHERE "emailStatus" = 'SENT'`);
      const [claimed] = await reader.all(`SELECT count(*) AS n FROM "Notification" WHERE "emailStatus" = 'SENDING'`);
      expect(Number(sent!.n)).toBeGreaterThan(0);
      expect(received.length).toBeGreaterThanOrEqual(Number(sent!.n));
      expect(received.length).toBeLessThanOrEqual(Number(sent!.n) + Number(claimed!.n));
      const bodies = received.map((m) => `${m.to.join(",")}\n${m.body.replace(/^(Date|Message-ID):.*$/gim, "")}`);
      expect(new Set(bodies).size).toBe(received.length);

      // The SIEM holds every audit entry, from whichever instance forwarded it. The entries stored, not
      // 1..max(seq): a transaction killed after its audit insert took a sequence number PostgreSQL does
      // not give back, so seq can skip one (the chain's prev links show nothing between was removed).
      const stored = (await reader.all(`SELECT seq FROM "AuditEntry" ORDER BY seq`)).map((r) => Number(r.seq));
      const inSiem = () => new Set(siem.lines().map((l) => (JSON.parse(l.trim()) as { seq: number }).seq));
      await until(
        "the SIEM to receive every entry",
        async () => {
          const seqs = inSiem();
          return stored.every((s) => seqs.has(s));
        },
        180,
      );
      const seqs = inSiem();
      const missing = stored.filter((s) => !seqs.has(s));
      expect(missing).toEqual([]);

      const verify = auditVerify({ ...own("v"), DATABASE_URL: database.url });
      const figures = {
        kills,
        requestsSent: client.answers.length + client.unanswered,
        notAnswered: client.unanswered,
        answered503: client.answers.filter((x) => x.status === 503).length,
        acknowledgedWrites:
          ledger.creates.length + ledger.updates.length + ledger.batches.length + ledger.incidents.length,
        incidents: ledger.incidents.length,
        events: ledger.batches.length * (ledger.batches[0]?.size ?? 0),
        lostOrDuplicatedWrites: problems.length,
        oldEventsRolledUp: `${audited} of ${OLD_BATCHES * OLD_BATCH_SIZE}, by the two roll-ups left running: ${rolledUp.map((r) => r.count).join(" and ")} (the rest by the worker's job)`,
        replayMismatches: mismatches.length,
        emailsReceived: received.length,
        emailsRecordedSent: Number(sent!.n),
        auditEntries: stored.length,
        auditSeqSkipped: stored.length ? stored.at(-1)! - stored.length : 0,
        siemReceived: seqs.size,
        auditVerify: verify.output.split("\n").at(-1),
      };
      console.log(`cluster figures:\n${JSON.stringify(figures, null, 2)}`);
      expect(problems, problems.join("\n")).toEqual([]);
      expect(mismatches, mismatches.join("\n")).toEqual([]);
      expect(client.violations, client.violations.join("\n")).toEqual([]);
      expect(verify.ok, verify.output).toBe(true);
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
    });
  },
);
