// What only the S3 store does, against a real S3 server (Ceph's RADOS Gateway, lib/testing/ceph.ts):
// HTTPS with the agency's own CA, evidence bundles kept WORM under Object Lock when the bucket has it,
// and the signed payload hash the content addressing relies on. The behaviour every store shares is in
// blob-stores.integration.test.ts.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { DeleteObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { HAS_CEPH, startCeph, type Ceph } from "@/lib/testing/ceph";
import { makeTestCertificates, type TestCertificates } from "@/lib/testing/test-certs";
import { personActor } from "@/lib/testing/actors";
import { seedDemo } from "@/prisma/seed";
import { db } from "@/lib/db/client";
import { blobStore } from "@/lib/storage/blob-store";
import { PART_BYTES, S3BlobStore } from "@/lib/storage/s3-blob-store";
import { s3Settings } from "@/lib/storage/s3-settings";
import { requestEvidenceExport, startExportBuilder } from "@/lib/evidence/export-jobs";
import { verifyBundle } from "@/lib/evidence/verify-bundle";
import { signingKey } from "@/lib/signing/key";

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe.runIf(HAS_CEPH)("the S3 store on Ceph's RADOS Gateway", () => {
  let ceph: Ceph;
  let certs: TestCertificates;
  let database: TestDatabase;
  let dir: string;
  const set: string[] = [];
  const setEnv = (env: Record<string, string>) => {
    for (const [name, value] of Object.entries(env)) {
      process.env[name] = value;
      set.push(name);
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-s3-"));
    certs = makeTestCertificates(dir);
    ceph = await startCeph(certs);
    await ceph.createBucket("plain");
    await ceph.createBucket("worm", { objectLock: true });
    database = await useTestDatabase("sqlite");
    setEnv({ APILEDGER_DATA_DIR: dir });
    await seedDemo();
  }, 180_000);
  afterAll(async () => {
    for (const name of set) delete process.env[name];
    await database?.drop();
    await ceph?.stop();
  });

  it("talks HTTPS to an endpoint the agency's CA signed, and refuses one signed by another CA or by none it was given", async () => {
    const tls = (ca: string | null) =>
      new S3BlobStore(
        s3Settings({
          ...ceph.env("plain"),
          APILEDGER_S3_ENDPOINT: ceph.tlsEndpoint!,
          ...(ca ? { APILEDGER_S3_CA_FILE: ca } : {}),
        }),
      );
    const bytes = randomBytes(4096);
    const trusted = tls(certs.ca);
    expect(await trusted.put(sha(bytes), bytes)).toEqual({ created: true });
    expect(await trusted.has(sha(bytes))).toBe(true);
    for (const store of [tls(certs.otherCa), tls(null)]) {
      await expect(store.has(sha(bytes))).rejects.toThrow(/certificate/i);
      await store.close();
    }
    await trusted.close();
  });

  it("relies on the gateway refusing bytes that do not match the SHA-256 the request was signed with", async () => {
    const client = new S3Client({
      endpoint: ceph.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey },
    });
    const claimed = randomBytes(100);
    const sent = randomBytes(100);
    const put = new PutObjectCommand({ Bucket: "plain", Key: `blobs/${sha(claimed)}`, Body: sent });
    put.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers["x-amz-content-sha256"] = sha(claimed);
        return next(args);
      },
      { step: "build" },
    );
    await expect(client.send(put)).rejects.toMatchObject({ name: "XAmzContentSHA256Mismatch" });
    client.destroy();
  });

  it("keeps evidence bundles WORM under Object Lock when the bucket has it: the export builder's bundle cannot be deleted, an uploaded file is not locked", async () => {
    setEnv({ ...ceph.env("worm"), APILEDGER_S3_LOCK_MODE: "governance", APILEDGER_S3_LOCK_DAYS: "1" });
    const store = blobStore();
    expect(store).toBeInstanceOf(S3BlobStore);
    const s3 = store as S3BlobStore;
    expect(await s3.bucketHasObjectLock()).toBe(true);

    const auditor = await personActor("auditor@example.com");
    const year = String(new Date().getUTCFullYear());
    const { id } = await requestEvidenceExport({ actor: auditor }, { period: year, controls: ["ism-2015"] });
    const builder = startExportBuilder(() => {});
    let row = await db.evidenceExport.findUniqueOrThrow({ where: { id } });
    for (let i = 0; row.status !== "DONE" && row.status !== "FAILED" && i < 1200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      row = await db.evidenceExport.findUniqueOrThrow({ where: { id } });
    }
    await builder.stop();
    expect(row).toMatchObject({ status: "DONE", error: "" });

    // Read back from the bucket, it is the signed bundle.
    const file = path.join(dir, "bundle.zip");
    await pipeline(await store.open(row.sha256), fs.createWriteStream(file));
    expect(sha(fs.readFileSync(file))).toBe(row.sha256);
    expect((await verifyBundle(file, { fingerprint: signingKey().fingerprint })).ok).toBe(true);

    const retention = await s3.retentionOf(row.sha256);
    expect(retention?.mode).toBe("GOVERNANCE");
    const day = Date.now() + 86_400_000;
    expect(Math.abs(retention!.until.getTime() - day)).toBeLessThan(10 * 60_000);

    // Deleting the locked version itself is refused by the server; a plain DELETE only hides it behind a
    // delete marker, and the locked bytes are still there to recover.
    const client = new S3Client({
      endpoint: ceph.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey },
    });
    const Key = `blobs/${row.sha256}`;
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: "worm", Prefix: Key }));
    const version = versions.Versions?.[0]?.VersionId;
    expect(version).toBeTruthy();
    await expect(
      client.send(new DeleteObjectCommand({ Bucket: "worm", Key, VersionId: version })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    client.destroy();

    // A bundle too big for one PUT is locked too (uploaded aside, checked, then copied to its name), and
    // one found already stored gets its retention all the same.
    const big = randomBytes(PART_BYTES + 4096);
    const bigFile = path.join(dir, "big.zip");
    fs.writeFileSync(bigFile, big);
    expect(await s3.putFile(sha(big), bigFile, { retain: true })).toEqual({ created: true });
    expect((await s3.retentionOf(sha(big)))?.mode).toBe("GOVERNANCE");
    const found = randomBytes(5000);
    await s3.put(sha(found), found);
    expect(await s3.retentionOf(sha(found))).toBeNull();
    expect(await s3.put(sha(found), found, { retain: true })).toEqual({ created: false });
    expect((await s3.retentionOf(sha(found)))?.mode).toBe("GOVERNANCE");

    // Ordinary uploads are not locked: the garbage collector can still remove what nothing names, and
    // in this versioned bucket removing frees the bytes rather than hiding them behind a delete marker.
    const upload = randomBytes(2048);
    await store.put(sha(upload), upload);
    expect(await s3.retentionOf(sha(upload))).toBeNull();
    expect(await s3.removeIfUntouched(sha(upload), new Date(Date.now() + 3_600_000))).toBe(true);
    const left = await client.send(new ListObjectVersionsCommand({ Bucket: "worm", Prefix: `blobs/${sha(upload)}` }));
    expect([...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])]).toHaveLength(0);
    expect(await s3.has(sha(upload))).toBe(false);
    // No multipart upload is left aside.
    const incoming = await client.send(new ListObjectVersionsCommand({ Bucket: "worm", Prefix: "incoming/" }));
    expect(incoming.Versions ?? []).toHaveLength(0);
    client.destroy();
  });

  it("stores bundles without retention, and without error, in a bucket that has no Object Lock", async () => {
    const store = new S3BlobStore(s3Settings({ ...ceph.env("plain") }));
    expect(await store.bucketHasObjectLock()).toBe(false);
    const bytes = randomBytes(10_000);
    const file = path.join(dir, "plain.zip");
    fs.writeFileSync(file, bytes);
    expect(await store.putFile(sha(bytes), file, { retain: true })).toEqual({ created: true });
    expect(await store.retentionOf(sha(bytes))).toBeNull();
    await store.close();
  });

  it("a write that finds a blob while the collector removes it keeps it, and a removal cut short is undone by the next collection", async () => {
    const collector = new S3BlobStore(s3Settings({ ...ceph.env("plain") }), 0);
    const writer = new S3BlobStore(s3Settings({ ...ceph.env("plain") }));
    const internals = collector as unknown as { delete: (key: string) => Promise<void> };
    const realDelete = internals.delete.bind(collector);
    const bytes = randomBytes(3000);
    await writer.put(sha(bytes), bytes);
    const inAnHour = new Date(Date.now() + 3_600_000);
    // Between the collector's check and its delete, an upload of the same bytes finds the blob.
    let found: boolean | null = null;
    internals.delete = async (key) => {
      if (key.endsWith(`blobs/${sha(bytes)}`) && found === null) found = !(await writer.put(sha(bytes), bytes)).created;
      return realDelete(key);
    };
    expect(await collector.removeIfUntouched(sha(bytes), inAnHour)).toBe(false);
    expect(found).toBe(true);
    expect(await writer.has(sha(bytes))).toBe(true);

    // A collector that dies after moving the blob aside: the next collection puts it back first.
    internals.delete = async (key) => {
      if (key.includes("/trash/") || key.startsWith("trash/")) throw new Error("killed");
      return realDelete(key);
    };
    await expect(collector.removeIfUntouched(sha(bytes), inAnHour)).rejects.toThrow("killed");
    expect(await writer.has(sha(bytes))).toBe(false);
    // Meanwhile readers are served from where it was put aside.
    const chunks: Buffer[] = [];
    for await (const chunk of await writer.open(sha(bytes))) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    internals.delete = realDelete;
    const candidates: string[] = [];
    for await (const blob of collector.untouchedSince(new Date(0))) candidates.push(blob.sha256);
    expect(await writer.has(sha(bytes))).toBe(true);
    // Untouched since, it is removed for good.
    expect(await collector.removeIfUntouched(sha(bytes), inAnHour)).toBe(true);
    expect(await writer.has(sha(bytes))).toBe(false);
    await collector.close();
    await writer.close();
  });

  it("carries on after the gateway is killed and started again", async () => {
    const store = new S3BlobStore(s3Settings({ ...ceph.env("plain") }));
    const before = randomBytes(1000);
    await store.put(sha(before), before);
    await ceph.restartGateway();
    const after = randomBytes(1000);
    expect(await store.put(sha(after), after)).toEqual({ created: true });
    expect(await store.has(sha(before))).toBe(true);
    await store.close();
  }, 120_000);
});
