// The blob stores behind the one interface, each for real: files on disk (SQLite installations),
// PostgreSQL's own tables (a cluster without object storage) and an S3 bucket on a one-node Ceph's
// RADOS Gateway (lib/testing/ceph.ts). The same behaviour is asked of all three:
// content addressing, conditional writes, streamed files checked against their name, and garbage
// collection that never takes a blob a write has just found.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { blobStore, closeBlobStore, recordStoredFile, withStoredBlob, type BlobStore } from "@/lib/storage/blob-store";
import { BLOB_GRACE_HOURS, collectUnreferencedBlobs } from "@/lib/storage/collect-blobs";
import { CHUNK_BYTES, PostgresBlobStore } from "@/lib/storage/postgres-blob-store";
import { LocalBlobStore } from "@/lib/storage/local-blob-store";
import { createDocument } from "@/lib/documents/create-document";
import { copyBlobs } from "@/lib/storage/copy-blobs";
import { addDocumentVersion } from "@/lib/documents/add-version";
import { personActor } from "@/lib/testing/actors";
import { HAS_CEPH, startCeph, type Ceph } from "@/lib/testing/ceph";
import { PART_BYTES, S3BlobStore } from "@/lib/storage/s3-blob-store";
import { s3Settings } from "@/lib/storage/s3-settings";
import { runCli } from "@/lib/testing/run-cli";
import { readZip } from "@/lib/testing/read-zip";

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const bytesOf = async (store: BlobStore, name: string) => {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.open(name)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};
const later = (hours: number) => new Date(Date.now() + hours * 3600_000);
const SYSTEM = { kind: "system" as const, id: null, email: "blob-test@apiledger" };

const STORES = {
  local: { label: "local", provider: "sqlite", available: true, type: LocalBlobStore },
  postgres: {
    label: "PostgreSQL",
    provider: "postgres",
    available: await isPostgresAvailable(),
    type: PostgresBlobStore,
  },
  s3: { label: "S3 (Ceph RGW)", provider: "sqlite", available: HAS_CEPH, type: S3BlobStore },
} as const;

for (const kind of ["local", "postgres", "s3"] as const) {
  const { label, provider, available, type } = STORES[kind];
  describe.runIf(available)(`the ${label} blob store`, () => {
    let database: TestDatabase;
    let dir: string;
    let store: BlobStore;
    let ceph: Ceph | null = null;
    const envSet: string[] = [];
    // Big enough to be several chunks in PostgreSQL and a multipart upload in S3.
    const big = kind === "s3" ? 2 * PART_BYTES + 12345 : CHUNK_BYTES * 3 + 12345;
    const anotherStore = (): BlobStore =>
      kind === "postgres"
        ? new PostgresBlobStore(database.url)
        : kind === "s3"
          ? new S3BlobStore(s3Settings())
          : new LocalBlobStore(path.join(dir, "files"));

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-blobs-"));
      const env: Record<string, string> = { APILEDGER_DATA_DIR: dir, APILEDGER_BLOB_STORE: kind };
      if (kind === "s3") {
        ceph = await startCeph();
        await ceph.createBucket("apiledger");
        Object.assign(env, ceph.env("apiledger"), { APILEDGER_S3_PREFIX: "installation-1/" });
      }
      for (const [name, value] of Object.entries(env)) {
        process.env[name] = value;
        envSet.push(name);
      }
      await seedDemo();
      store = blobStore();
      expect(store).toBeInstanceOf(type);
    }, 180_000);
    afterAll(async () => {
      for (const name of envSet) delete process.env[name];
      await database?.drop();
      await ceph?.stop();
    });

    it("keeps bytes under their SHA-256 once, refuses bytes that do not match their name, and says which blob is missing", async () => {
      const bytes = randomBytes(1000);
      expect(await store.put(sha(bytes), bytes)).toEqual({ created: true });
      expect(await store.put(sha(bytes), bytes)).toEqual({ created: false });
      expect(await store.has(sha(bytes))).toBe(true);
      expect((await bytesOf(store, sha(bytes))).equals(bytes)).toBe(true);
      const other = randomBytes(10);
      await expect(store.put(sha(other), bytes)).rejects.toThrow(/do not match/);
      expect(await store.has(sha(other))).toBe(false);
      await expect(store.open(sha(other))).rejects.toMatchObject({ code: "ENOENT" });
      // An empty file is a blob too.
      const empty = new Uint8Array();
      expect(await store.put(sha(empty), empty)).toEqual({ created: true });
      expect(await bytesOf(store, sha(empty))).toHaveLength(0);
      await store.checkWritable();
    });

    it("takes only SHA-256 names: no path, NUL, bidi control or SQL reaches the store", async () => {
      for (const name of [
        "../../etc/passwd",
        `${"a".repeat(63)}\0`,
        `${"a".repeat(63)}\u202e`,
        "A".repeat(64),
        "'; DROP TABLE x; --",
        `${"a".repeat(64)}/..`,
      ]) {
        await expect(store.has(name)).rejects.toThrow(/Not a SHA-256/);
        await expect(store.open(name)).rejects.toThrow(/Not a SHA-256/);
        await expect(store.put(name, new Uint8Array())).rejects.toThrow(/Not a SHA-256/);
        await expect(store.removeIfUntouched(name, new Date())).rejects.toThrow(/Not a SHA-256/);
      }
    });

    it("streams a file of several chunks in and out, checked against its name as it is stored", async () => {
      const bytes = randomBytes(big);
      const file = path.join(dir, "bundle.zip");
      fs.writeFileSync(file, bytes);
      expect(await store.putFile(sha(bytes), file)).toEqual({ created: true });
      expect(await store.putFile(sha(bytes), file)).toEqual({ created: false });
      expect((await bytesOf(store, sha(bytes))).equals(bytes)).toBe(true);
      // A file changed after it was hashed is refused whole: no half-stored blob under its name.
      const name = sha(bytes.subarray(1));
      await expect(store.putFile(name, file)).rejects.toThrow(/does not match/);
      expect(await store.has(name)).toBe(false);
      if (provider === "postgres") {
        const { rows } = await (store as unknown as { pool: import("pg").Pool }).pool.query(
          "SELECT count(*)::int AS n FROM apiledger_files.chunk WHERE sha256 = $1",
          [sha(bytes)],
        );
        expect(rows[0].n).toBe(4);
      }
    });

    it("of two writes of the same bytes at once, one stores them and the other finds them", async () => {
      const bytes = randomBytes(3 * CHUNK_BYTES);
      const second = anotherStore();
      try {
        const results = await Promise.all([
          store.put(sha(bytes), bytes),
          second.put(sha(bytes), bytes),
          store.put(sha(bytes), bytes),
          second.put(sha(bytes), bytes),
        ]);
        // On disk each write renames a whole file into place, so two may both "create" the same bytes;
        // in PostgreSQL the blob's row is the lock, and in S3 the If-None-Match PUT: exactly one does.
        const created = results.filter((r) => r.created).length;
        if (kind === "local") expect(created).toBeGreaterThanOrEqual(1);
        else expect(created).toBe(1);
        expect((await bytesOf(second, sha(bytes))).equals(bytes)).toBe(true);
      } finally {
        await closeBlobStore(second);
      }
    });

    it("collects only blobs no record refers to, after the grace period, and never one a write has just found", async () => {
      const orphan = randomBytes(2000); // an upload whose write failed
      const replaced = randomBytes(2500); // its row stays, but nothing names it any more (a replaced description)
      const found = randomBytes(4000); // an orphan a new write finds during the collection
      for (const b of [orphan, replaced, found]) await store.put(sha(b), b);
      await authorizedWrite({ actor: SYSTEM }, { permission: "jobs:record-run", countsOnly: "jobs:record-run" }, (tx) =>
        recordStoredFile(tx, { sha256: sha(replaced), size: replaced.length, mediaType: "application/json" }),
      );
      // A document version names this one: uploaded as a person would.
      const manager = await personActor("manager@example.com");
      const { id: docId } = await createDocument(
        { actor: manager },
        { kind: "API_SECURITY_STANDARD", title: "Standard", description: "" },
      );
      const used = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(3000), Buffer.from("\n%%EOF\n")]);
      await addDocumentVersion(
        { actor: manager },
        docId,
        { label: "1.0", changeNote: "First.", body: "", effectiveDate: "2026-11-01", nextReviewDate: "2027-11-01" },
        { name: "standard.pdf", bytes: used },
      );
      // Within the grace period nothing is removed, referenced or not.
      expect(await collectUnreferencedBlobs(later(BLOB_GRACE_HOURS - 1))).toEqual({ removed: 0, bytes: 0 });
      // A write finding a blob touches it: the collector's cut-off is before that touch, so it stays.
      await new Promise((r) => setTimeout(r, 1100));
      const cutOff = new Date();
      await new Promise((r) => setTimeout(r, 50));
      expect(await store.put(sha(found), found)).toEqual({ created: false });
      expect(await store.removeIfUntouched(sha(found), cutOff)).toBe(false);
      expect(await store.has(sha(found))).toBe(true);
      // A day on, every blob nobody refers to goes (the earlier tests' too); the referenced one stays.
      const candidates: string[] = [];
      for await (const b of store.untouchedSince(later(BLOB_GRACE_HOURS + 1))) candidates.push(b.sha256);
      expect(candidates).toEqual(expect.arrayContaining([sha(orphan), sha(replaced), sha(used), sha(found)]));
      const unreferenced = candidates.length - 1;
      const result = await collectUnreferencedBlobs(later(2 * BLOB_GRACE_HOURS));
      expect(result.removed).toBe(unreferenced);
      expect(await store.has(sha(orphan))).toBe(false);
      expect(await store.has(sha(found))).toBe(false);
      expect((await bytesOf(store, sha(used))).equals(used)).toBe(true);
      // Stored again after it was collected: a new blob, readable.
      expect(await store.put(sha(orphan), orphan)).toEqual({ created: true });
      expect((await bytesOf(store, sha(orphan))).equals(orphan)).toBe(true);
      // A finished evidence export's bundle is referenced too.
      const bundle = randomBytes(500);
      await store.put(sha(bundle), bundle);
      await authorizedWrite({ actor: SYSTEM }, { permission: "evidence:export" }, async (tx, audit) => {
        const row = await tx.evidenceExport.create({
          data: { requestedBy: "a@example.com", scope: "{}", period: "2026", status: "DONE", sha256: sha(bundle) },
        });
        await audit({ action: "evidence.export-stored", targetType: "evidence-export", targetId: row.id });
      });
      await collectUnreferencedBlobs(later(2 * BLOB_GRACE_HOURS));
      expect(await store.has(sha(bundle))).toBe(true);
      expect(await db.storedFile.count({ where: { sha256: sha(used) } })).toBe(1);
    });

    it.runIf(kind !== "local")(
      `npm run blobs:copy moves an installation from local files into the ${label} store, legacy bundle files too, and can be run again`,
      async () => {
        const local = new LocalBlobStore(path.join(dir, "files"));
        const files = [randomBytes(500), randomBytes(CHUNK_BYTES + 7)];
        for (const b of files) await local.put(sha(b), b);
        // A bundle exported before bundles went to the store: a file of its own, named by its export.
        const bundle = randomBytes(2048);
        const exportId = await authorizedWrite(
          { actor: SYSTEM },
          { permission: "evidence:export" },
          async (tx, audit) => {
            const row = await tx.evidenceExport.create({
              data: {
                requestedBy: "a@example.com",
                scope: "{}",
                period: "2025",
                status: "DONE",
                sha256: sha(bundle),
              },
            });
            await audit({ action: "evidence.export-stored", targetType: "evidence-export", targetId: row.id });
            return row.id;
          },
        );
        fs.mkdirSync(path.join(dir, "evidence"), { recursive: true });
        fs.writeFileSync(path.join(dir, "evidence", `${exportId}.zip`), bundle);
        const first = await copyBlobs("local", kind);
        expect(first.copied).toBe(3);
        for (const b of [...files, bundle]) expect((await bytesOf(store, sha(b))).equals(b)).toBe(true);
        const again = await copyBlobs("local", kind);
        expect(again).toMatchObject({ copied: 0, present: 2 });
        await expect(copyBlobs(kind, kind)).rejects.toThrow(/two different stores/);
      },
    );

    it("keeps the blob of a write that rolled back after its upload, for a later write of the same bytes", async () => {
      const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(5000), Buffer.from("\n%%EOF\n")]);
      const blob = { sha256: sha(bytes), bytes, size: bytes.length, mediaType: "application/pdf" };
      // The write stores the blob, records it, and then fails: its transaction rolls back, the row with it.
      await expect(
        withStoredBlob(blob, () =>
          authorizedWrite(
            { actor: SYSTEM },
            { permission: "jobs:record-run", countsOnly: "jobs:record-run" },
            async (tx) => {
              await recordStoredFile(tx, blob);
              throw new Error("the write failed after its upload");
            },
          ),
        ),
      ).rejects.toThrow(/failed after its upload/);
      expect(await db.storedFile.findUnique({ where: { sha256: sha(bytes) } })).toBeNull();
      // Not removed on the rollback: another upload of the same bytes may have found it meanwhile.
      expect(await store.has(sha(bytes))).toBe(true);
      const manager = await personActor("manager@example.com");
      const { id: docId } = await createDocument(
        { actor: manager },
        { kind: "API_SECURITY_STANDARD", title: "After a rollback", description: "" },
      );
      await addDocumentVersion(
        { actor: manager },
        docId,
        { label: "1.0", changeNote: "Issued.", body: "", effectiveDate: "2026-11-01", nextReviewDate: "2027-11-01" },
        { name: "standard.pdf", bytes },
      );
      expect(await db.storedFile.findUnique({ where: { sha256: sha(bytes) } })).not.toBeNull();
      expect((await bytesOf(store, sha(bytes))).equals(bytes)).toBe(true);
    });

    it.runIf(kind === "s3")(
      "npm run backup takes the bucket's files, and npm run restore puts them in the new installation's bucket",
      async () => {
        const bytes = randomBytes(PART_BYTES + 999);
        await store.put(sha(bytes), bytes);
        const out = path.join(dir, "backup.zip");
        const backup = runCli("lib/cli/backup.ts", ["--out", out], process.env);
        expect(backup.code, backup.out).toBe(0);
        expect(backup.out).toMatch(/\b[1-9]\d* stored file\(s\) read from the S3 bucket/);
        const entry = `data/files/${sha(bytes).slice(0, 2)}/${sha(bytes)}`;
        expect((await readZip(out)).get(entry)?.equals(bytes)).toBe(true);

        // Another installation: its own database, data folder and place in the bucket.
        const target = {
          ...process.env,
          DATABASE_URL: `file:${path.join(dir, "restored.db")}`,
          APILEDGER_DATA_DIR: path.join(dir, "restored"),
          APILEDGER_S3_PREFIX: "installation-2/",
        };
        const restore = runCli("lib/cli/restore.ts", [out], target);
        expect(restore.code, restore.out).toBe(0);
        expect(restore.out).toMatch(/stored file\(s\) in the S3 bucket \([1-9]\d* copied/);
        const theirs = new S3BlobStore(s3Settings(target));
        try {
          expect((await bytesOf(theirs, sha(bytes))).equals(bytes)).toBe(true);
        } finally {
          await theirs.close();
        }
      },
      300_000,
    );
  });
}
