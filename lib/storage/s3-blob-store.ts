import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import tls from "node:tls";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  S3Client,
  paginateListObjectsV2,
  type HeadObjectCommandOutput,
  type PutObjectCommandInput,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { BlobNotFoundError, checkSha256, type StoredBlob } from "@/lib/storage/blob-names";
import type { S3Settings } from "@/lib/storage/s3-settings";

/** Files up to this size go in one PUT; larger ones (bundles) as a multipart upload of parts this size. */
export const PART_BYTES = 16 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * When an object was last written, rounded up: S3 gives whole seconds (HEAD's Last-Modified is an HTTP
 * date), and rounding down would make a blob touched just after a collection's cut-off look older.
 */
function writtenAt(...times: (Date | undefined)[]): number {
  return Math.max(0, ...times.map((t) => (t ? Math.floor(t.getTime() / 1000) * 1000 + 999 : 0)));
}

/**
 * Blobs in an S3-compatible bucket (MinIO, Ceph RGW, StorageGRID, AWS): every instance of a cluster
 * shares them, and evidence bundles can be kept WORM with Object Lock.
 *
 * Under the prefix: `blobs/<sha256>` holds the bytes; `touched/<sha256>`, a tiny object rewritten by
 * every write that stores or finds the blob, is the touch the garbage collector honours (S3 cannot
 * update an object's time in place); `trash/<sha256>` holds a blob while a collection removes it;
 * `incoming/<uuid>` a large file while its multipart upload is checked, before it gets its name.
 * In a bucket that keeps versions (every bucket with Object Lock), removing means deleting each
 * version, except those under retention, so the collector frees space rather than adding delete markers.
 *
 * Integrity: the name is the SHA-256 of the bytes, which is also what Signature V4 signs as the payload
 * hash of a single PUT and of each part — the server refuses bytes that do not match (tested). The
 * SHA-256 checksum headers are sent as well, for servers that check them; the SDK's default CRC32
 * trailers are not, because servers that predate them (Ceph Pacific, older MinIO and StorageGRID)
 * refuse the aws-chunked encoding they need.
 */
// A BlobStore (lib/storage/blob-store.ts checks it where it makes one).
export class S3BlobStore {
  private readonly client: S3Client;
  private lockEnabled: Promise<boolean> | null = null;

  constructor(
    private readonly settings: S3Settings,
    /** How old a leftover in trash/ must be before a collection puts it back (one removing it now is younger). */
    private readonly trashGraceMs = 3_600_000,
  ) {
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({
        // The agency's CA (APILEDGER_S3_CA_FILE) is added to, not instead of, Node's public roots.
        httpsAgent: new https.Agent({
          keepAlive: true,
          maxSockets: 32,
          ...(settings.ca ? { ca: [...tls.rootCertificates, settings.ca] } : {}),
        }),
        connectionTimeout: 10_000,
        requestTimeout: 120_000,
      }),
    });
  }

  private key(area: "blobs" | "touched" | "trash" | "incoming", name: string): string {
    return `${this.settings.prefix}${area}/${name}`;
  }

  /** A small text object, with its SHA-256 (buckets with a default retention rule demand a checksum). */
  private async putText(key: string, text: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Body: text,
        ContentType: "text/plain",
        ChecksumSHA256: createHash("sha256").update(text).digest("base64"),
      }),
    );
  }

  /** Marks the blob as stored or found now; always before the blob itself is looked at (see removeIfUntouched). */
  private async touch(sha256: string): Promise<void> {
    // Different bytes each time, so the marker's ETag changes with every touch.
    await this.putText(this.key("touched", sha256), `${new Date().toISOString()} ${randomUUID()}`);
  }

  async put(sha256: string, bytes: Uint8Array, options: { retain?: boolean } = {}): Promise<{ created: boolean }> {
    checkSha256(sha256);
    if (createHash("sha256").update(bytes).digest("hex") !== sha256)
      throw new Error("The bytes do not match their SHA-256");
    for (let attempt = 1; ; attempt++) {
      await this.touch(sha256);
      // Looked for first: Ceph Pacific ignores If-None-Match in a bucket that keeps versions (measured),
      // so there the condition alone would store a second version of the same bytes.
      if (await this.has(sha256)) {
        await this.retainFound(sha256, options.retain);
        return { created: false };
      }
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.settings.bucket,
            Key: this.key("blobs", sha256),
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentType: "application/octet-stream",
            ChecksumSHA256: Buffer.from(sha256, "hex").toString("base64"),
            // The conditional write: of two uploads of the same bytes, the second stores nothing.
            IfNoneMatch: "*",
            ...(await this.retention(options.retain)),
          }),
        );
        return { created: true };
      } catch (error) {
        if (statusOf(error) === 412) {
          await this.retainFound(sha256, options.retain);
          return { created: false };
        }
        // AWS answers 409 to a conditional write racing another write or a delete of the same key: again.
        if (statusOf(error) === 409 && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** A bundle found already stored (a copy, or a second export of the same bytes) gets its retention too. */
  private async retainFound(sha256: string, retain: boolean | undefined): Promise<void> {
    const lock = await this.retention(retain);
    if (!lock.ObjectLockMode || !lock.ObjectLockRetainUntilDate) return;
    const current = await this.retentionOf(sha256);
    if (current && current.until >= lock.ObjectLockRetainUntilDate) return;
    await this.client.send(
      new PutObjectRetentionCommand({
        Bucket: this.settings.bucket,
        Key: this.key("blobs", sha256),
        Retention: { Mode: lock.ObjectLockMode, RetainUntilDate: lock.ObjectLockRetainUntilDate },
        ChecksumAlgorithm: "SHA256",
      }),
    );
  }

  async putFile(sha256: string, file: string, options: { retain?: boolean } = {}): Promise<{ created: boolean }> {
    checkSha256(sha256);
    const size = (await fs.promises.stat(file)).size;
    if (size <= PART_BYTES) return this.put(sha256, await fs.promises.readFile(file), options);
    await this.touch(sha256);
    if (await this.has(sha256)) {
      await this.retainFound(sha256, options.retain);
      return { created: false };
    }
    // Uploaded under a name of its own and hashed on the way; only bytes that match are then copied to
    // their name, so no reader is ever served unchecked bytes under it (multipart uploads cannot be
    // conditional on every server, and each part's signature covers that part, not the whole).
    const incoming = this.key("incoming", randomUUID());
    const hash = createHash("sha256");
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.settings.bucket,
        Key: incoming,
        Body: hashing,
        ContentType: "application/octet-stream",
        ChecksumAlgorithm: "SHA256",
      },
      partSize: PART_BYTES,
      queueSize: 2,
      leavePartsOnError: false,
    });
    try {
      // pipeline: a read error ends the upload too (rather than leaving it waiting for more bytes).
      await Promise.all([pipeline(fs.createReadStream(file), hashing), upload.done()]);
      if (hash.digest("hex") !== sha256) throw new Error("The file does not match its SHA-256");
      // Of two uploads of the same bytes at once, both copy the same bytes to the name: harmless. The
      // retention is set after the copy (some servers, Ceph among them, ignore lock headers on a copy).
      await this.copy(incoming, this.key("blobs", sha256));
      await this.retainFound(sha256, options.retain);
      return { created: true };
    } catch (error) {
      hashing.destroy();
      await upload.abort().catch(() => {});
      throw error;
    } finally {
      await this.delete(incoming).catch(() => {});
    }
  }

  /** Object Lock parameters for an evidence bundle, when the bucket has Object Lock enabled. */
  private async retention(retain: boolean | undefined): Promise<Partial<PutObjectCommandInput>> {
    if (!retain || !(await this.bucketHasObjectLock())) return {};
    return {
      ObjectLockMode: this.settings.lock.mode,
      ObjectLockRetainUntilDate: new Date(Date.now() + this.settings.lock.days * 86_400_000),
    };
  }

  /** Whether the bucket was created with Object Lock (asked once per process). */
  bucketHasObjectLock(): Promise<boolean> {
    this.lockEnabled ??= this.client
      .send(new GetObjectLockConfigurationCommand({ Bucket: this.settings.bucket }))
      .then((answer) => answer.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled")
      .catch((error: unknown) => {
        // No lock configuration, or a server without Object Lock at all (501): nothing to lock with. Any
        // other answer (no such bucket, a proxy's 404) is an error, not a reason to store bundles unlocked.
        if ((error as Error).name === "ObjectLockConfigurationNotFoundError" || statusOf(error) === 501) return false;
        this.lockEnabled = null;
        throw error;
      });
    return this.lockEnabled;
  }

  /** The retention S3 reports for a stored blob (tests and the operator's check), or null if none. */
  async retentionOf(sha256: string): Promise<{ mode: string; until: Date } | null> {
    const head = await this.head(this.key("blobs", sha256));
    if (!head?.ObjectLockMode || !head.ObjectLockRetainUntilDate) return null;
    return { mode: head.ObjectLockMode, until: head.ObjectLockRetainUntilDate };
  }

  /** The bytes; from `trash/` while a collection that found the blob wanted after all puts it back. */
  async open(sha256: string): Promise<Readable> {
    checkSha256(sha256);
    for (const area of ["blobs", "trash"] as const) {
      try {
        const answer = await this.client.send(
          new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.key(area, sha256) }),
        );
        if (!(answer.Body instanceof Readable)) throw new Error("The S3 client returned no stream");
        return answer.Body;
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    }
    throw new BlobNotFoundError(sha256);
  }

  async has(sha256: string): Promise<boolean> {
    checkSha256(sha256);
    return (await this.head(this.key("blobs", sha256))) !== null;
  }

  private async head(key: string): Promise<HeadObjectCommandOutput | null> {
    try {
      return await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }));
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /**
   * Removes the object. In a bucket that keeps versions, every version of it is deleted by id (a plain
   * delete would only hide it behind a delete marker and free nothing), except those under retention,
   * which the server keeps until their date.
   */
  private async delete(key: string): Promise<void> {
    if (!(await this.bucketHasObjectLock())) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      return;
    }
    const kept = new Set<string>();
    // A page of versions at a time (a touch marker has one per touch), until only locked ones are left.
    for (;;) {
      const listed = await this.client.send(
        new ListObjectVersionsCommand({ Bucket: this.settings.bucket, Prefix: key, MaxKeys: 1000 }),
      );
      const versions = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].filter(
        (v) => v.Key === key && v.VersionId && !kept.has(v.VersionId),
      );
      if (!versions.length) break;
      for (const version of versions)
        await this.client
          .send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key, VersionId: version.VersionId }))
          .catch((error: unknown) => {
            if (statusOf(error) !== 403) throw error;
            kept.add(version.VersionId!);
          });
    }
    // A version under retention stays; a delete marker hides it, as a removal must.
    if (kept.size) await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  private async copy(from: string, to: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.settings.bucket,
        Key: to,
        CopySource: `${this.settings.bucket}/${from}`,
      }),
    );
  }

  private async *list(
    area: "blobs" | "touched" | "trash",
  ): AsyncIterable<{ sha256: string; at: Date | undefined; size: number }> {
    const prefix = `${this.settings.prefix}${area}/`;
    for await (const page of paginateListObjectsV2(
      { client: this.client, pageSize: 1000 },
      { Bucket: this.settings.bucket, Prefix: prefix },
    ))
      for (const object of page.Contents ?? []) {
        const sha256 = object.Key?.slice(prefix.length) ?? "";
        if (SHA256.test(sha256)) yield { sha256, at: object.LastModified, size: object.Size ?? 0 };
      }
  }

  /**
   * Every blob untouched since `before`: the blob listing and the touch listing, both in key order,
   * walked side by side (nothing is held but the current page of each). Blobs a collection interrupted
   * mid-removal are first put back, to be judged again.
   */
  async *untouchedSince(before: Date): AsyncIterable<StoredBlob> {
    await this.recoverTrash();
    const touches = this.list("touched")[Symbol.asyncIterator]();
    let touch = await touches.next();
    for await (const blob of this.list("blobs")) {
      while (!touch.done && touch.value.sha256 < blob.sha256) touch = await touches.next();
      const touchedAt = !touch.done && touch.value.sha256 === blob.sha256 ? touch.value.at : undefined;
      if (writtenAt(blob.at, touchedAt) < before.getTime()) yield { sha256: blob.sha256, size: blob.size };
    }
  }

  /** Puts back what a collection that stopped mid-removal left in `trash/` (not one removing it now). */
  private async recoverTrash(): Promise<void> {
    const before = Date.now() - this.trashGraceMs;
    for await (const left of this.list("trash")) {
      if ((left.at?.getTime() ?? 0) > before) continue;
      if (!(await this.has(left.sha256)))
        await this.copy(this.key("trash", left.sha256), this.key("blobs", left.sha256));
      await this.delete(this.key("trash", left.sha256));
    }
  }

  /**
   * Removes the blob unless a write stored or found it since `untouchedSince`; true if removed. S3 has
   * no delete conditional on a time, so the blob is moved aside first and the touch read again after:
   * a write touches before it looks for the blob, so one that touched in between either found the blob
   * (and it is put back here) or looks after the removal and stores the bytes again.
   */
  async removeIfUntouched(sha256: string, untouchedSince: Date): Promise<boolean> {
    checkSha256(sha256);
    const [touchBefore, blob] = await Promise.all([
      this.head(this.key("touched", sha256)),
      this.head(this.key("blobs", sha256)),
    ]);
    if (!blob) return false;
    if (writtenAt(blob.LastModified, touchBefore?.LastModified) >= untouchedSince.getTime()) return false;
    await this.copy(this.key("blobs", sha256), this.key("trash", sha256));
    const putBack = async () => {
      if (!(await this.has(sha256))) await this.copy(this.key("trash", sha256), this.key("blobs", sha256));
      await this.delete(this.key("trash", sha256));
    };
    let touchAfter: HeadObjectCommandOutput | null;
    try {
      await this.delete(this.key("blobs", sha256));
      touchAfter = await this.head(this.key("touched", sha256));
    } catch (error) {
      // Not sure what happened: put it back (readers are served from trash/ meanwhile).
      await putBack().catch(() => {});
      throw error;
    }
    if (touchAfter?.ETag !== touchBefore?.ETag) {
      await putBack();
      return false;
    }
    await this.delete(this.key("trash", sha256));
    if (touchAfter) await this.delete(this.key("touched", sha256));
    return true;
  }

  private lastWritable = 0;

  /**
   * Readiness (/api/ready): a small object is written to the bucket (throws if the bucket refuses it), at
   * most once a minute — probes come every second, and in a bucket that keeps versions each write stays.
   */
  async checkWritable(): Promise<void> {
    if (Date.now() - this.lastWritable < 60_000) return;
    await this.putText(`${this.settings.prefix}readiness`, new Date().toISOString());
    this.lastWritable = Date.now();
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

/** The HTTP status of an S3 error (404 for NoSuchKey and NotFound, 412 for a failed condition). */
function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}
