// The SIEM forwarder over OTLP/HTTP logs, sent by the OpenTelemetry SDK's own exporters to a real HTTP(S)
// collector: every audit entry arrives as a log record, in order, with what the receiving side needs to
// check the chain — also when the collector refuses requests, is stopped and started again mid-stream, and
// when the forwarder is stopped and started again; over HTTPS only with the agency's CA.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { seedDemo } from "@/prisma/seed";
import { db } from "@/lib/db/client";
import { ChainVerifier } from "@/lib/audit/chain";
import { makeCheckpoint } from "@/lib/checkpoints/make-checkpoint";
import { forwardBatch, forwardedUpTo, siemTarget, startForwarder } from "@/lib/siem/forwarder";
import { startOtlpCollector, type OtlpCollector, type ReceivedLog } from "@/lib/testing/otlp-collector";
import { auditedEntry as audited, until } from "@/lib/testing/siem";
import { makeTestCertificates } from "@/lib/testing/test-certs";

/** What the SIEM keeps: each entry once (a resend repeats one), in the order first received. */
const kept = (c: OtlpCollector) => {
  const seen = new Map<number, ReceivedLog>();
  const order: number[] = [];
  for (const r of c.records) {
    const seq = Number(r.attributes["apiledger.audit.seq"]);
    if (!seen.has(seq)) order.push(seq);
    seen.set(seq, r);
  }
  return { seen, order };
};

describe("SIEM forwarder over OTLP/HTTP logs", () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-otlp-siem-"));
    process.env.APILEDGER_DATA_DIR = dir;
    database = await useTestDatabase("sqlite");
    await seedDemo();
    await makeCheckpoint("interval");
  });
  afterAll(async () => {
    delete process.env.APILEDGER_DATA_DIR;
    await database?.drop();
  });

  it("in protobuf: every entry in order, its chain checkable, through refusals, a collector restart and a forwarder restart", async () => {
    const collector = await startOtlpCollector();
    const target = siemTarget({ APILEDGER_SIEM_URL: `otlp+http://127.0.0.1:${collector.port}` })!;
    expect(target).toMatchObject({
      transport: "otlp",
      format: "protobuf",
      url: `http://127.0.0.1:${collector.port}/v1/logs`,
    });
    let forwarder = startForwarder(target, { idleMs: 100, batch: 40, timeoutMs: 3000, log: () => {} });
    try {
      let written = 0;
      const writing = (async () => {
        for (; written < 300; written++) {
          await audited(written);
          if (written % 10 === 0) await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await until(() => kept(collector).order.length > 100);
      collector.refuse(3);
      await until(() => kept(collector).order.length > 160);
      await collector.stop();
      await new Promise((r) => setTimeout(r, 1500));
      await collector.start();
      await until(() => kept(collector).order.length > 220);
      await forwarder.stop();
      forwarder = startForwarder(target, { idleMs: 100, batch: 40, timeoutMs: 3000, log: () => {} });
      await writing;
      const head = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
      await until(() => kept(collector).seen.has(head));
      const { seen, order } = kept(collector);
      expect(order).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      // The receiving side recomputes every hash from the body (the stored columns) and follows prev to hash.
      const verifier = new ChainVerifier(null);
      for (const seq of order) {
        const record = seen.get(seq)!;
        const columns = JSON.parse(record.body) as { at: string; hash: string; prevHash: string };
        expect(record.attributes["apiledger.audit.hash"]).toBe(columns.hash);
        expect(record.attributes["apiledger.audit.prev_hash"]).toBe(columns.prevHash);
        verifier.add({ ...columns, at: new Date(columns.at) } as unknown as Parameters<ChainVerifier["add"]>[0]);
      }
      expect(verifier.report()).toMatchObject({ ok: true, count: head });
      const first = seen.get(1)!;
      expect(first).toMatchObject({ service: "apiledger", scope: "apiledger.audit" });
      const stored = await db.auditEntry.findUniqueOrThrow({ where: { seq: 1 } });
      expect(BigInt(first.timeUnixNano)).toBe(BigInt(stored.at.getTime()) * 1_000_000n);
      // The checkpoint's entry carries the signed text.
      const checkpoint = [...seen.values()].find((r) => r.eventName === "audit.checkpoint");
      expect(checkpoint?.attributes["apiledger.checkpoint.signature"]).toBeTruthy();
      expect(collector.contentTypes).toEqual(new Set(["application/x-protobuf"]));
      await until(async () => (await forwardedUpTo()) === head);
    } finally {
      await forwarder.stop();
      await collector.stop();
    }
  }, 180_000);

  it("in JSON over HTTPS with the agency's CA; another CA's certificate is refused and the cursor stays", async () => {
    const certs = makeTestCertificates(dir);
    const collector = await startOtlpCollector(certs);
    const url = `otlp+https://localhost:${collector.port}/v1/logs`;
    const wrong = siemTarget({
      APILEDGER_SIEM_URL: url,
      APILEDGER_SIEM_CA_FILE: certs.otherCa,
      APILEDGER_SIEM_FORMAT: "json",
    })!;
    const before = await forwardedUpTo();
    await audited(1000);
    await expect(forwardBatch(wrong, { timeoutMs: 3000 })).rejects.toThrow(/was not reached: .*certificate/);
    expect(await forwardedUpTo()).toBe(before);
    const right = siemTarget({
      APILEDGER_SIEM_URL: url,
      APILEDGER_SIEM_CA_FILE: certs.ca,
      APILEDGER_SIEM_FORMAT: "json",
    })!;
    while ((await forwardBatch(right, { timeoutMs: 3000 })) > 0);
    const head = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    expect(await forwardedUpTo()).toBe(head);
    expect(collector.contentTypes).toEqual(new Set(["application/json"]));
    expect(kept(collector).order).toEqual(Array.from({ length: head - before }, (_, i) => before + i + 1));
    await collector.stop();
  }, 60_000);

  it("moves the cursor only when the collector took every record: not on a partial success, nor on a page that is not a collector's", async () => {
    const collector = await startOtlpCollector();
    const dir2 = fs.mkdtempSync(path.join(dir, "headers-"));
    fs.writeFileSync(path.join(dir2, "headers"), "# the collector's key\nAuthorization: Bearer otlp-test-key\n");
    const target = siemTarget({
      APILEDGER_SIEM_URL: `otlp+http://127.0.0.1:${collector.port}`,
      APILEDGER_SIEM_OTLP_HEADERS_FILE: path.join(dir2, "headers"),
      APILEDGER_SIEM_OTLP_MAX_BYTES: "16384",
    })!;
    const before = await forwardedUpTo();
    for (let n = 0; n < 60; n++) await audited(2000 + n);
    collector.answer("reject-one");
    await expect(forwardBatch(target, { batch: 500 })).rejects.toThrow(/rejected 1 of/);
    expect(await forwardedUpTo()).toBe(before);
    collector.answer("not-a-collector");
    await expect(forwardBatch(target, { batch: 500 })).rejects.toThrow(/not an OTLP response/);
    expect(await forwardedUpTo()).toBe(before);
    collector.answer("ok");
    collector.records.length = 0;
    collector.requests.length = 0;
    while ((await forwardBatch(target, { batch: 500 })) > 0);
    const head = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    expect(kept(collector).order).toEqual(Array.from({ length: head - before }, (_, i) => before + i + 1));
    // Kept under the size limit: several requests per batch, each with the key.
    expect(collector.requests.length).toBeGreaterThan(2);
    for (const r of collector.requests) {
      expect(r.bytes).toBeLessThanOrEqual(16384);
      expect(r.headers.authorization).toBe("Bearer otlp-test-key");
    }
    await collector.stop();
  }, 60_000);

  it("refuses OTLP settings it cannot use, in words", () => {
    expect(() =>
      siemTarget({ APILEDGER_SIEM_URL: "otlp+http://collector:4318", APILEDGER_SIEM_FORMAT: "cef" }),
    ).toThrow(/protobuf or json/);
    expect(() => siemTarget({ APILEDGER_SIEM_URL: "otlp+https://user:secret@collector:4318" })).toThrow(
      /no credentials/,
    );
    expect(siemTarget({ APILEDGER_SIEM_URL: "otlp+https://collector.internal" })).toMatchObject({
      url: "https://collector.internal:4318/v1/logs",
      port: 4318,
    });
  });
});
