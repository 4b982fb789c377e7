import "server-only";
import path from "node:path";
import type { Readable } from "node:stream";
import { dataDir } from "@/lib/runtime/secrets";
import { LocalBlobStore } from "@/lib/storage/local-blob-store";
import { PostgresBlobStore } from "@/lib/storage/postgres-blob-store";
import { S3BlobStore } from "@/lib/storage/s3-blob-store";
import { s3Settings } from "@/lib/storage/s3-settings";
import type { StoredBlob } from "@/lib/storage/blob-names";
import { databaseUrl, providerOf } from "@/lib/db/db-url";
import type { Tx } from "@/lib/db/client";

/**
 * Where uploaded files and evidence bundles live. Blobs are named by the SHA-256 of their bytes
 * (content addressing): the same file is kept once, and a name that no longer matches its bytes shows
 * tampering. Everything else (file names, who uploaded, which record uses it) is in the database.
 *
 * A blob is never removed because the write that stored it failed: a concurrent write of the same
 * bytes may have found it and refer to it. Blobs no record refers to are removed by the garbage
 * collector (lib/storage/collect-blobs.ts) once untouched for a grace period; every write that stores
 * or finds a blob touches it.
 */
export interface BlobStore {
  /** Stores the bytes under their hash. `created` is false when they were already there (then touched). */
  put(sha256: string, bytes: Uint8Array): Promise<{ created: boolean }>;
  /**
   * The same from a file (a bundle of hundreds of MB), streamed; the bytes are checked against the hash.
   * `retain`: an evidence bundle, kept WORM where the store can (S3 Object Lock).
   */
  putFile(sha256: string, file: string, options?: { retain?: boolean }): Promise<{ created: boolean }>;
  /** The bytes as a stream; throws BlobNotFoundError if there is no such blob. */
  open(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** Every blob no write has stored or found since `before` (the collector's candidates). */
  untouchedSince(before: Date): AsyncIterable<StoredBlob>;
  /** Removes the blob unless a write stored or found it since `untouchedSince`; true if removed. */
  removeIfUntouched(sha256: string, untouchedSince: Date): Promise<boolean>;
  /** Readiness (/api/ready): the store accepts a write now; throws if not. */
  checkWritable(): Promise<void>;
}

export type BlobStoreKind = "local" | "postgres" | "s3";
export const BLOB_STORE_KINDS: readonly BlobStoreKind[] = ["local", "postgres", "s3"];

/**
 * APILEDGER_BLOB_STORE: where blobs are kept. "local" (the default): files under <data dir>/files —
 * one machine, or a folder every instance mounts; "postgres": in the PostgreSQL database itself, so
 * every instance of a cluster shares them and pg_dump backs them up; "s3": in an S3-compatible bucket
 * (APILEDGER_S3_*, lib/storage/s3-settings.ts), with evidence bundles under Object Lock when the bucket has it.
 */
export function blobStoreKind(env: NodeJS.ProcessEnv = process.env): BlobStoreKind {
  const value = env.APILEDGER_BLOB_STORE?.trim() || "local";
  if (!BLOB_STORE_KINDS.includes(value as BlobStoreKind))
    throw new Error(`APILEDGER_BLOB_STORE must be "local", "postgres" or "s3", not "${env.APILEDGER_BLOB_STORE}".`);
  if (value === "postgres" && providerOf(databaseUrl(env)) !== "postgres")
    throw new Error("APILEDGER_BLOB_STORE=postgres needs a PostgreSQL DATABASE_URL.");
  if (value === "s3") s3Settings(env);
  return value as BlobStoreKind;
}

/** A new store of the given kind for this installation (its data folder, its database, its bucket). */
export function makeBlobStore(kind: BlobStoreKind): BlobStore {
  if (kind === "local") return new LocalBlobStore(path.join(dataDir(), "files"));
  if (kind === "postgres") return new PostgresBlobStore(databaseUrl());
  return new S3BlobStore(s3Settings());
}

/** Lets go of a store's connections (a no-op for the local store). */
export async function closeBlobStore(store: BlobStore): Promise<void> {
  if (store instanceof PostgresBlobStore || store instanceof S3BlobStore) await store.close();
}

function storeKey(kind: BlobStoreKind): string {
  if (kind === "local") return `local:${path.join(dataDir(), "files")}`;
  if (kind === "postgres") return `postgres:${databaseUrl()}`;
  // From the settings as written, without reading their files on every call (blobStore() is per request).
  const e = process.env;
  return ["s3", e.APILEDGER_S3_ENDPOINT, e.APILEDGER_S3_BUCKET, e.APILEDGER_S3_PREFIX, e.APILEDGER_S3_ACCESS_KEY_ID]
    .map((v) => v?.trim() ?? "")
    .join("\u0000");
}

const cached = globalThis as unknown as { apiledgerBlobStore?: { key: string; store: BlobStore } };

/** The installation's store, as APILEDGER_BLOB_STORE chooses (one per process, shared by every route). */
export function blobStore(): BlobStore {
  const kind = blobStoreKind();
  const key = storeKey(kind);
  if (cached.apiledgerBlobStore?.key !== key) {
    const previous = cached.apiledgerBlobStore?.store;
    if (previous) void closeBlobStore(previous).catch(() => {});
    cached.apiledgerBlobStore = { key, store: makeBlobStore(kind) };
  }
  return cached.apiledgerBlobStore.store;
}

/** At start: removes the temporary files uploads interrupted by a crash left behind; returns how many. */
export async function removeAbandonedUploads(): Promise<number> {
  return new LocalBlobStore(path.join(dataDir(), "files")).removeAbandonedTempFiles();
}

/**
 * Where an evidence bundle built before bundles went to the blob store (2026-12-06) was kept: a file of
 * its own in this instance's data folder, still served (and copied by npm run blobs:copy).
 */
export function legacyBundlePath(exportId: string): string {
  return path.join(dataDir(), "evidence", `${exportId}.zip`);
}

export type BlobToStore = { sha256: string; size: number; mediaType: string; bytes: Uint8Array };

/**
 * Stores a blob, then runs the database write that refers to it. Blobs go in first because a row must
 * never name a file that is not there; a blob whose write failed is left to the garbage collector (see
 * BlobStore).
 */
export async function withStoredBlob<T>(blob: BlobToStore, write: () => Promise<T>): Promise<T> {
  await blobStore().put(blob.sha256, blob.bytes);
  return write();
}

/** The blob's row, inside the write's transaction (the same file stored twice is one row). */
export async function recordStoredFile(tx: Tx, blob: Omit<BlobToStore, "bytes">): Promise<void> {
  await tx.storedFile.upsert({
    where: { sha256: blob.sha256 },
    create: { sha256: blob.sha256, size: blob.size, mediaType: blob.mediaType },
    update: {},
  });
}
