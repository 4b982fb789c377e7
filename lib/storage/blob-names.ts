const SHA256 = /^[0-9a-f]{64}$/;

/** Blobs are named only by a SHA-256 hex digest: no caller-supplied text reaches a path, key or query. */
export function checkSha256(sha256: string): void {
  if (!SHA256.test(sha256)) throw new Error("Not a SHA-256 hex digest");
}

/** A blob as a store lists it (for the garbage collector). */
export type StoredBlob = { sha256: string; size: number };

/** Asked for a blob the store does not have (code ENOENT, as for a missing file). */
export class BlobNotFoundError extends Error {
  readonly code = "ENOENT";
  constructor(sha256: string) {
    super(`No stored file has the SHA-256 ${sha256}`);
  }
}
