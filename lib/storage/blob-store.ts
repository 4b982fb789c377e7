import "server-only";
import path from "node:path";
import type { Readable } from "node:stream";
import { dataDir } from "@/lib/runtime/secrets";
import { LocalBlobStore } from "@/lib/storage/local-blob-store";
import type { Tx } from "@/lib/db/client";

/**
 * Where uploaded files live. Blobs are named by the SHA-256 of their bytes (content addressing): the
 * same file is kept once, and a name that no longer matches its bytes shows tampering. Everything
 * else (file names, who uploaded, which record uses it) is in the database. Kept this small so an
 * S3-compatible store can be added beside the local one without touching the callers.
 */
export interface BlobStore {
  /** Stores the bytes under their hash. `created` is false when they were already there. */
  put(sha256: string, bytes: Uint8Array): Promise<{ created: boolean }>;
  /** The bytes as a stream; throws if there is no such blob. */
  open(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** Removes a blob; used only to undo a put whose database transaction failed. */
  remove(sha256: string): Promise<void>;
  /** Readiness (/api/ready): the store accepts a write now; throws if not. */
  checkWritable(): Promise<void>;
}

let store: { root: string; store: BlobStore } | null = null;

/** The installation's store: files under <data dir>/files (APILEDGER_DATA_DIR, default .apiledger). */
export function blobStore(): BlobStore {
  const root = path.join(dataDir(), "files");
  if (store?.root !== root) store = { root, store: new LocalBlobStore(root) };
  return store.store;
}

/** At start: removes the temporary files uploads interrupted by a crash left behind; returns how many. */
export async function removeAbandonedUploads(): Promise<number> {
  return new LocalBlobStore(path.join(dataDir(), "files")).removeAbandonedTempFiles();
}

export type BlobToStore = { sha256: string; size: number; mediaType: string; bytes: Uint8Array };

/**
 * Stores a blob, then runs the database write that refers to it; if the write fails the blob is
 * removed again (when this call created it), so a failed upload leaves no file behind. Blobs go in
 * first because a row must never name a file that is not there.
 */
export async function withStoredBlob<T>(blob: BlobToStore, write: () => Promise<T>): Promise<T> {
  const store = blobStore();
  const { created } = await store.put(blob.sha256, blob.bytes);
  try {
    return await write();
  } catch (error) {
    if (created) await store.remove(blob.sha256);
    throw error;
  }
}

/** The blob's row, inside the write's transaction (the same file stored twice is one row). */
export async function recordStoredFile(tx: Tx, blob: Omit<BlobToStore, "bytes">): Promise<void> {
  await tx.storedFile.upsert({
    where: { sha256: blob.sha256 },
    create: { sha256: blob.sha256, size: blob.size, mediaType: blob.mediaType },
    update: {},
  });
}
