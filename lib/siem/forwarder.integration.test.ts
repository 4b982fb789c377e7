// The SIEM forwarder against a real rsyslogd, over TCP and over TLS: every audit entry arrives, in order,
// with what the SIEM needs to check the chain itself — also when the collector is restarted mid-stream and
// when the forwarder's process is killed mid-stream and started again.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { ChainVerifier } from "@/lib/audit/chain";
import { makeCheckpoint } from "@/lib/checkpoints/make-checkpoint";
import { checkCheckpoint } from "@/lib/audit/checkpoint-format";
import { signingKey } from "@/lib/signing/key";
import { HAS_GTLS, RSYSLOGD, startRsyslog, type Rsyslog } from "@/lib/testing/rsyslog";
import { forwardBatch, forwardedUpTo, siemTarget, startForwarder } from "@/lib/siem/forwarder";
import { auditedEntry as audited, resetCursor, until } from "@/lib/testing/siem";
import { makeTestCertificates, type TestCertificates } from "@/lib/testing/test-certs";

const port = () => 21000 + Math.floor(Math.random() * 20000);
type Columns = { seq: number; at: string; prevHash: string; hash: string; action: string; [k: string]: unknown };
/** What the SIEM keeps: each entry once (the first copy; a resend repeats one), in the order received. */
const received = (r: Rsyslog) => {
  const seen = new Map<number, Columns>();
  const order: number[] = [];
  for (const line of r.lines()) {
    const entry = JSON.parse(line.trim()) as Columns;
    if (!seen.has(entry.seq)) order.push(entry.seq);
    seen.set(entry.seq, entry);
  }
  return { seen, order };
};

describe("SIEM forwarder against a collector that fails mid-batch", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    process.env.APILEDGER_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-siem-cut-"));
    database = await useTestDatabase("sqlite");
    // Batches larger than what a collector reads at once (64 KiB), so one that stops reading leaves some unread.
    for (let n = 0; n < 200; n++) await audited(n, " padding".repeat(150));
  });
  afterAll(async () => database?.drop());

  /** A collector that reads `bytes` of a batch and then drops the connection (crashed, or cut off). */
  async function cutting(bytes: number | "never-closes") {
    // allowHalfOpen: its side stays open after the forwarder has closed its own, unless it closes it.
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      let got = 0;
      socket.on("data", (chunk: Buffer) => {
        got += chunk.length;
        if (bytes !== "never-closes" && got >= bytes) socket.destroy();
      });
      socket.on("error", () => {});
      // "never-closes" reads everything and keeps its side open.
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as net.AddressInfo).port;
    return {
      target: siemTarget({ APILEDGER_SIEM_URL: `syslog+tcp://127.0.0.1:${port}` })!,
      close: () => server.close(),
    };
  }

  it("does not move the cursor past a batch the collector did not read to its end", async () => {
    const crashed = await cutting(100);
    await expect(forwardBatch(crashed.target, { batch: 200 })).rejects.toThrow();
    expect(await forwardedUpTo()).toBe(0);
    crashed.close();
    const silent = await cutting("never-closes");
    await expect(forwardBatch(silent.target, { batch: 200, timeoutMs: 1000 })).rejects.toThrow(
      /did not take the batch/,
    );
    expect(await forwardedUpTo()).toBe(0);
    silent.close();
  });

  it("sends again a batch a collector took just before it stopped answering (plain TCP cannot tell it was kept)", async () => {
    // The collector reads the first batch to its end and closes, as one that kept it would — and stops.
    let port = 0;
    const losing = net.createServer({ allowHalfOpen: true }, (socket) => {
      socket.on("data", () => {});
      socket.on("end", () => {
        socket.end();
        losing.close();
      });
    });
    await new Promise<void>((resolve) => losing.listen(0, "127.0.0.1", () => resolve()));
    port = (losing.address() as net.AddressInfo).port;
    const target = siemTarget({ APILEDGER_SIEM_URL: `syslog+tcp://127.0.0.1:${port}` })!;
    const lines: string[] = [];
    const first = startForwarder(target, { batch: 50, idleMs: 50, log: (line) => lines.push(line) });
    try {
      await until(() => lines.some((l) => /they will be sent again/.test(l)));
    } finally {
      // Stopped before the collector is back: the rewind is in the cursor, not in this process's memory.
      await first.stop();
    }
    expect(lines.join("\n")).toMatch(/stopped answering just after taking entries from 1; they will be sent again/);
    expect(await forwardedUpTo()).toBe(0);
    // Back on the same port, keeping what it reads; a new forwarder (a restart, or another instance).
    let received = "";
    const keeping = net.createServer({ allowHalfOpen: true }, (socket) => {
      socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
      socket.on("end", () => socket.end());
    });
    await new Promise<void>((resolve) => keeping.listen(port, "127.0.0.1", () => resolve()));
    const second = startForwarder(target, { batch: 50, idleMs: 50, log: () => {} });
    try {
      await until(async () => (await forwardedUpTo()) === 200);
      const seqs = new Set([...received.matchAll(/"seq":(\d+)/g)].map((m) => Number(m[1])));
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    } finally {
      await second.stop();
      keeping.close();
    }
  });
});

describe.runIf(RSYSLOGD)("SIEM forwarder against rsyslogd", () => {
  let database: TestDatabase;
  let dir: string;
  let certs: TestCertificates;
  const env = () => ({ ...process.env });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-siem-"));
    process.env.APILEDGER_DATA_DIR = dir;
    if (HAS_GTLS) certs = makeTestCertificates(dir);
    database = await useTestDatabase("sqlite");
    await seedDemo();
    await makeCheckpoint("interval");
  });
  afterAll(async () => {
    delete process.env.APILEDGER_SIEM_URL;
    await database?.drop();
  });

  /**
   * Every entry in order, its chain checkable by the SIEM, while entries are written and the collector is
   * stopped and started again and the forwarder process is killed and started again, over `transport`.
   */
  async function throughRestarts(transport: "tcp" | "tls") {
    const tcpDir = fs.mkdtempSync(path.join(dir, `${transport}-restarts-`));
    const collector = await startRsyslog(tcpDir, port(), transport === "tls" ? { tls: certs } : {});
    const siemEnv =
      transport === "tls"
        ? { APILEDGER_SIEM_URL: `syslog+tls://localhost:${collector.port}`, APILEDGER_SIEM_CA_FILE: certs.ca }
        : { APILEDGER_SIEM_URL: `syslog+tcp://127.0.0.1:${collector.port}` };
    // From the first entry, whatever an earlier test forwarded.
    await resetCursor();
    // Each forwarder's log (at debug: every batch's range) is kept, to tell apart a batch never sent from
    // one the collector never kept should an entry be missing.
    const forwarderLog = path.join(tcpDir, "forwarder.log");
    const spawnForwarder = (): ChildProcess => {
      const fd = fs.openSync(forwarderLog, "a");
      try {
        return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/siem-forward.ts"], {
          env: {
            ...env(),
            ...siemEnv,
            APILEDGER_SIEM_IDLE_MS: "100",
            APILEDGER_SIEM_BATCH: "25",
            APILEDGER_LOG_LEVEL: "debug",
          },
          stdio: ["ignore", fd, fd],
        });
      } finally {
        fs.closeSync(fd);
      }
    };
    let forwarder = spawnForwarder();
    try {
      // Entries keep coming while both sides are restarted.
      let written = 0;
      const writing = (async () => {
        for (; written < 300; written++) {
          await audited(written);
          if (written % 10 === 0) await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await until(() => received(collector).order.length > 120);
      await collector.stop();
      await new Promise((r) => setTimeout(r, 1500));
      await collector.start();
      await until(() => received(collector).order.length > 250);
      forwarder.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 500));
      forwarder = spawnForwarder();
      await writing;
      const head = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
      // Every entry, however late the collector writes some of it out.
      await until(() => received(collector).seen.size >= head).catch(() => {});

      const { seen, order } = received(collector);
      const missing = Array.from({ length: head }, (_, i) => i + 1).filter((seq) => !seen.has(seq));
      const batches = fs
        .readFileSync(forwarderLog, "utf8")
        .split("\n")
        .filter((l) => l.includes("batch delivered") || /SIEM forwarder: [^b]/.test(l));
      // Every entry, once each in the order of the log: no gap, nothing out of turn.
      expect(
        order,
        missing.length
          ? `missing ${missing.join(",")}; the forwarders' log:\n${batches.join("\n")}`
          : "out of order in the collector's file",
      ).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      // The SIEM recomputes every hash from the columns and follows prev to hash.
      const verifier = new ChainVerifier(null);
      for (const seq of order) {
        const e = seen.get(seq)!;
        verifier.add({ ...e, at: new Date(e.at) } as unknown as Parameters<ChainVerifier["add"]>[0]);
      }
      expect(verifier.report()).toMatchObject({ ok: true, count: head });
      // The stored rows match what arrived.
      const stored = await db.auditEntry.findMany({ orderBy: { seq: "asc" }, select: { seq: true, hash: true } });
      expect(stored.map((s) => seen.get(s.seq)?.hash)).toEqual(stored.map((s) => s.hash));
      await until(async () => (await forwardedUpTo()) === head);
    } finally {
      forwarder.kill("SIGKILL");
      await collector.stop();
    }
  }

  it("over TCP: every entry in order, its chain checkable by the SIEM, through a collector restart and a killed forwarder", async () => {
    await throughRestarts("tcp");
  }, 180_000);

  it.runIf(HAS_GTLS)(
    "over TLS: every entry in order, its chain checkable by the SIEM, through a collector restart and a killed forwarder",
    async () => {
      await throughRestarts("tls");
    },
    180_000,
  );

  it("a checkpoint's entry carries the signed checkpoint, which verifies", async () => {
    const sdDir = fs.mkdtempSync(path.join(dir, "sd-"));
    const collector = await startRsyslog(sdDir, port(), { template: "%structured-data%\\n" });
    const checkpoint = (await makeCheckpoint("export"))!;
    const target = siemTarget({ APILEDGER_SIEM_URL: `syslog+tcp://127.0.0.1:${collector.port}` })!;
    while ((await forwardBatch(target)) > 0);
    await until(() => collector.lines().some((l) => l.includes(`seq="${checkpoint.seq}"`)));
    const line = collector.lines().find((l) => l.includes(`seq="${checkpoint.seq}"`))!;
    const text = /\[checkpoint@32473 text="([^"]+)" sig="([^"]+)"\]/.exec(line)!;
    expect(checkCheckpoint({ text: `${text[1]}\n`, signature: text[2]! }, [signingKey().publicKeyPem])).toMatchObject({
      ok: true,
      checkpoint: { seq: checkpoint.seq },
    });
    await collector.stop();
  });

  it("npm run worker forwards too, from where the installation's cursor stands, and stops on SIGTERM", async () => {
    const collector = await startRsyslog(fs.mkdtempSync(path.join(dir, "worker-")), port());
    const before = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    for (let n = 0; n < 30; n++) await audited(n);
    const head = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    let out = "";
    const worker = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/worker.ts"], {
      env: {
        ...env(),
        APILEDGER_JOBS: "worker",
        APILEDGER_SIEM_URL: `syslog+tcp://127.0.0.1:${collector.port}`,
        APILEDGER_SIEM_IDLE_MS: "100",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    worker.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    try {
      await until(() => received(collector).seen.has(head));
      expect(out).toContain(`worker: forwarding the audit log to 127.0.0.1:${collector.port}`);
      // Only what the cursor had not passed: the entries written since the tests above forwarded theirs.
      const { order } = received(collector);
      expect(order[0]).toBe(before + 1);
      expect(order.filter((seq) => seq <= head)).toEqual(
        Array.from({ length: head - before }, (_, i) => before + 1 + i),
      );
      worker.kill("SIGTERM");
      const [code] = (await once(worker, "exit")) as [number | null];
      expect(code, out).toBe(0);
    } finally {
      worker.kill("SIGKILL");
      await collector.stop();
    }
  }, 120_000);

  describe.runIf(HAS_GTLS)("over TLS", () => {
    it("in CEF, every entry reaches a TLS collector whose certificate the agency's CA signed; another CA's is refused", async () => {
      const tlsDir = fs.mkdtempSync(path.join(dir, "tls-"));
      const collector = await startRsyslog(tlsDir, port(), { tls: certs });
      const url = `syslog+tls://localhost:${collector.port}`;
      // A fresh cursor for this collector: start from the beginning.
      await resetCursor();
      // The wrong CA: nothing is sent and the cursor stays.
      const before = await forwardedUpTo();
      const wrong = siemTarget({
        APILEDGER_SIEM_URL: url,
        APILEDGER_SIEM_CA_FILE: certs.otherCa,
        APILEDGER_SIEM_FORMAT: "cef",
      })!;
      await expect(forwardBatch(wrong)).rejects.toThrow(/certificate/i);
      expect(await forwardedUpTo()).toBe(before);

      const target = siemTarget({
        APILEDGER_SIEM_URL: url,
        APILEDGER_SIEM_CA_FILE: certs.ca,
        APILEDGER_SIEM_FORMAT: "cef",
      })!;
      const forwarder = startForwarder(target, { idleMs: 100, log: () => {} });
      const head = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
      try {
        await until(() => collector.lines().length >= head);
      } finally {
        await forwarder.stop();
        await collector.stop();
      }
      const lines = collector.lines();
      expect(lines).toHaveLength(head);
      const seqs = lines.map((l) => Number(/externalId=(\d+)/.exec(l)?.[1]));
      expect(seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      const last = await db.auditEntry.findUniqueOrThrow({ where: { seq: head } });
      expect(lines.at(-1)!.trim()).toMatch(
        new RegExp(`^CEF:0\\|ApiLedger\\|ApiLedger\\|[^|]*\\|${last.action.replace(/\./g, "\\.")}\\|`),
      );
      expect(lines.at(-1)).toContain(`cs1Label=hash cs1=${last.hash} cs2Label=prevHash cs2=${last.prevHash}`);
    }, 120_000);
  });
});
