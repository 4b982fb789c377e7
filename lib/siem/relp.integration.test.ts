// The SIEM forwarder over RELP: against Debian's rsyslogd with imrelp (rsyslog-relp), every entry arrives
// however often the collector is killed in the middle of a batch — plain TCP can only say the collector
// read a batch, RELP that it took each message — and over mutual TLS only with the right certificates.
// Against collectors that answer wrongly, the cursor stays where it was.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { HAS_RELP, RSYSLOGD, startRsyslog } from "@/lib/testing/rsyslog";
import { forwardBatch, forwardedUpTo, siemTarget } from "@/lib/siem/forwarder";
import { relpFrame } from "@/lib/siem/relp";
import { auditedEntry as audited, resetCursor, until } from "@/lib/testing/siem";
import { makeTestCertificates, type TestCertificates } from "@/lib/testing/test-certs";

const port = () => 21000 + Math.floor(Math.random() * 20000);
const seqsIn = (lines: string[]) => new Set(lines.map((l) => (JSON.parse(l) as { seq: number }).seq));

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-relp-"));
  process.env.APILEDGER_DATA_DIR = dir;
  database = await useTestDatabase("sqlite");
  for (let n = 0; n < 1500; n++) await audited(n, " padding".repeat(20));
});
afterAll(async () => database?.drop());

describe.runIf(RSYSLOGD && HAS_RELP)("SIEM forwarder over RELP, against rsyslogd", () => {
  it("every entry arrives while the collector is killed and started again twenty times, mid-batch", async () => {
    await resetCursor();
    // A collector that answers a message once it is in its file, so what it answered outlives SIGKILL.
    const collector = await startRsyslog(fs.mkdtempSync(path.join(dir, "restarts-")), port(), {
      relp: true,
      direct: true,
    });
    const target = siemTarget({ APILEDGER_SIEM_URL: `syslog+relp://127.0.0.1:${collector.port}` })!;
    expect(target).toMatchObject({ transport: "tcp", relp: true });
    const head = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    let restarts = 0;
    let failures = 0;
    const forwarding = (async () => {
      while ((await forwardedUpTo()) < head) {
        // Small batches, sent back to back: a stop lands inside one most of the time.
        await forwardBatch(target, { batch: 40, timeoutMs: 3000 }).catch(() => {
          failures++;
          return new Promise((r) => setTimeout(r, 20));
        });
      }
    })();
    try {
      for (; restarts < 20 && (await forwardedUpTo()) < head; restarts++) {
        await new Promise((r) => setTimeout(r, 30 + Math.random() * 120));
        await collector.crash();
        await collector.start();
      }
      await forwarding;
      await until(() => seqsIn(collector.lines()).size >= head, 30_000).catch(() => {});
    } finally {
      await collector.stop();
    }
    const got = seqsIn(collector.lines());
    const missing = Array.from({ length: head }, (_, i) => i + 1).filter((s) => !got.has(s));
    expect(missing).toEqual([]);
    // The restarts did land while batches were in flight (or the test proved nothing).
    expect(restarts).toBeGreaterThanOrEqual(5);
    expect(failures).toBeGreaterThan(0);
  }, 180_000);

  it("an entry over the collector's limit is refused, never cut short: the entries before it go, and the forwarder stops at it", async () => {
    const head = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    await resetCursor();
    await authorizedWrite(
      { actor: { kind: "system", id: null, email: "test@apiledger" } },
      { permission: "audit:forward", countsOnly: "audit:forward" },
      async (tx) => {
        await tx.forwarderCursor.create({ data: { name: "siem", seq: head, updatedAt: new Date() } });
      },
    );
    for (let n = 0; n < 3; n++) await audited(n);
    await audited(3, " twenty kilobytes".repeat(1250));
    await audited(4);
    const small = await startRsyslog(fs.mkdtempSync(path.join(dir, "small-")), port(), {
      relp: true,
      maxDataSize: "8k",
    });
    try {
      const url = `syslog+relp://127.0.0.1:${small.port}`;
      // Told the collector's limit: the three before it go; the large one is not sent.
      const told = siemTarget({ APILEDGER_SIEM_URL: url, APILEDGER_SIEM_MAX_MESSAGE_BYTES: "8192" })!;
      expect(await forwardBatch(told)).toBe(3);
      expect(await forwardedUpTo()).toBe(head + 3);
      await expect(forwardBatch(told)).rejects.toThrow(
        new RegExp(
          `audit entry ${head + 4} is \\d+ bytes as a syslog message, over APILEDGER_SIEM_MAX_MESSAGE_BYTES \\(8192\\)`,
        ),
      );
      // Not told: the collector refuses it (imrelp's oversizeMode "abort"), and the cursor stays before it.
      const untold = siemTarget({ APILEDGER_SIEM_URL: url })!;
      await expect(forwardBatch(untold, { timeoutMs: 3000 })).rejects.toThrow();
      expect(await forwardedUpTo()).toBe(head + 3);
      await until(() => small.lines().length >= 3);
      expect(small.lines().every((l) => l.length < 8192)).toBe(true);
      expect([...seqsIn(small.lines())]).toEqual([head + 1, head + 2, head + 3]);
    } finally {
      await small.crash();
    }
    // A collector that takes 256 KiB: all of it, the large entry whole.
    const large = await startRsyslog(fs.mkdtempSync(path.join(dir, "large-")), port(), { relp: true });
    try {
      const target = siemTarget({ APILEDGER_SIEM_URL: `syslog+relp://127.0.0.1:${large.port}` })!;
      expect(await forwardBatch(target)).toBe(2);
      await until(() => large.lines().length >= 2);
      const big = large.lines().find((l) => (JSON.parse(l) as { seq: number }).seq === head + 4)!;
      expect(big.length).toBeGreaterThan(20_000);
      expect(await forwardedUpTo()).toBe(head + 5);
    } finally {
      await large.stop();
    }
  }, 60_000);

  describe("over TLS", () => {
    let certs: TestCertificates;
    beforeAll(() => {
      certs = makeTestCertificates(dir);
    });

    it("delivers with the forwarder's certificate; the wrong CA, or no certificate, moves nothing", async () => {
      await resetCursor();
      const collector = await startRsyslog(fs.mkdtempSync(path.join(dir, "tls-")), port(), {
        relp: true,
        tls: certs,
      });
      const url = `syslog+relp+tls://localhost:${collector.port}`;
      try {
        const wrongCa = siemTarget({
          APILEDGER_SIEM_URL: url,
          APILEDGER_SIEM_CA_FILE: certs.otherCa,
          APILEDGER_SIEM_CERT_FILE: certs.clientCert,
          APILEDGER_SIEM_KEY_FILE: certs.clientKey,
        })!;
        await expect(forwardBatch(wrongCa, { timeoutMs: 3000 })).rejects.toThrow(/certificate/i);
        const anonymous = siemTarget({ APILEDGER_SIEM_URL: url, APILEDGER_SIEM_CA_FILE: certs.ca })!;
        await expect(forwardBatch(anonymous, { timeoutMs: 3000 })).rejects.toThrow();
        expect(await forwardedUpTo()).toBe(0);
        expect(collector.lines()).toEqual([]);

        const target = siemTarget({
          APILEDGER_SIEM_URL: url,
          APILEDGER_SIEM_CA_FILE: certs.ca,
          APILEDGER_SIEM_CERT_FILE: certs.clientCert,
          APILEDGER_SIEM_KEY_FILE: certs.clientKey,
        })!;
        expect(target).toMatchObject({ transport: "tls", relp: true, port: collector.port });
        expect(await forwardBatch(target, { batch: 300 })).toBe(300);
        expect(await forwardedUpTo()).toBe(300);
        await until(() => collector.lines().length >= 300);
        expect([...seqsIn(collector.lines())]).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      } finally {
        await collector.stop();
      }
    }, 60_000);
  });
});

describe("SIEM forwarder over RELP, against collectors that answer wrongly", () => {
  /** A collector that answers the open as rsyslog does, then answers message frames with `answer`. */
  async function collector(answer: (txnr: number, socket: net.Socket) => void, open?: (socket: net.Socket) => void) {
    const server = net.createServer((socket) => {
      let buffered = "";
      socket.on("error", () => {});
      socket.on("data", (chunk) => {
        buffered += chunk.toString("latin1");
        for (let m; (m = /^(\d+) (\w+) (\d+)/.exec(buffered));) {
          const length = Number(m[3]);
          const end = m[0].length + (length ? 1 : 0) + length + 1;
          if (buffered.length < end) break;
          buffered = buffered.slice(end);
          if (m[2] === "open")
            (open ?? ((s) => s.write(relpFrame(1, "rsp", "200 OK\nrelp_version=0\ncommands=syslog"))))(socket);
          else answer(Number(m[1]), socket);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const target = siemTarget({
      APILEDGER_SIEM_URL: `syslog+relp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    })!;
    return { target, close: () => server.close() };
  }

  it.each<[string, RegExp, Parameters<typeof collector>[0], Parameters<typeof collector>[1]?]>([
    ["refuses a message", /refused: 500 queue full/, (n, s) => s.write(relpFrame(n, "rsp", "500 queue full"))],
    [
      "answers a status with NUL, bidi controls and a lone surrogate in it",
      /refused: 500 \?+bad\?+ \?+$/,
      (n, s) => s.write(relpFrame(n, "rsp", Buffer.from("500 \0\u202ebad\u202c \ud800", "utf8"))),
    ],
    ["answers HTTP", /not a RELP frame/, (_, s) => s.write("HTTP/1.1 400 Bad Request\r\n\r\n")],
    ["answers out of turn", /answered RELP 99/, (_, s) => s.write(relpFrame(99, "rsp", "200 OK"))],
    [
      "sends megabytes without an end",
      /not a RELP frame|too large/,
      (n, s) => s.write(`${n} rsp 60000 ${"x".repeat(1e6)}`),
    ],
    ["closes the session early", /closed the RELP session early/, (_, s) => s.write(relpFrame(0, "serverclose"))],
    ["never answers", /did not answer within 500 ms/, () => {}],
    [
      "does not offer syslog",
      /does not take syslog/,
      () => {},
      (s) => s.write(relpFrame(1, "rsp", "200 OK\nrelp_version=0\ncommands=")),
    ],
  ])("cursor stays when the collector %s", async (_, error, answer, open) => {
    await resetCursor();
    const fake = await collector(answer, open);
    try {
      await expect(forwardBatch(fake.target, { batch: 50, timeoutMs: 500 })).rejects.toThrow(error);
      expect(await forwardedUpTo()).toBe(0);
    } finally {
      fake.close();
    }
  });

  it("moves the cursor past the messages answered before the collector stopped, and sends only the rest again", async () => {
    await resetCursor();
    // Answers 25 of 50 (txnr 2–26), then drops the connection.
    const half = await collector((n, s) => (n < 27 ? s.write(relpFrame(n, "rsp", "200 OK")) : s.end()));
    try {
      await expect(forwardBatch(half.target, { batch: 50, timeoutMs: 500 })).rejects.toThrow(
        /after answering 25 of 50/,
      );
      expect(await forwardedUpTo()).toBe(25);
    } finally {
      half.close();
    }
    const whole = await collector((n, s) => s.write(relpFrame(n, "rsp", "200 OK")));
    try {
      expect(await forwardBatch(whole.target, { batch: 50, timeoutMs: 500 })).toBe(50);
      expect(await forwardedUpTo()).toBe(75);
    } finally {
      whole.close();
    }
  });
});
