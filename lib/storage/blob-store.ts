import "server-only";
import path from "node:path";
import type { Readable } from "node:stream";
import { dataDir } from "@/lib/secrets";
import { LocalBlobStore } from "@/lib/storage/local-blob-store";

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
}

let store: { root: string; store: BlobStore } | null = null;

/** The installation's store: files under <data dir>/files (APILEDGER_DATA_DIR, default .apiledger). */
export function blobStore(): BlobStore {
  const root = path.join(dataDir(), "files");
  if (store?.root !== root) store = { root, store: new LocalBlobStore(root) };
  return store.store;
}
