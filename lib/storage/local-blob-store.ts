import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { BlobStore } from "@/lib/storage/blob-store";

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Blobs as files under a root directory, fanned out by the first two hex digits (ab/abcdef…) so no
 * directory grows huge. Names are only ever hashes checked against SHA256, so no caller-supplied text
 * reaches a path. Writes go to a temporary file that is renamed into place: a crash never leaves a
 * half-written blob under a valid name.
 */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error("Not a SHA-256 hex digest");
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(sha256: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    const target = this.pathOf(sha256);
    if (createHash("sha256").update(bytes).digest("hex") !== sha256) throw new Error("The bytes do not match their SHA-256");
    if (await this.has(sha256)) return { created: false };
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = path.join(this.root, `.tmp-${randomUUID()}`);
    const handle = await fs.promises.open(temp, "wx", 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, target);
    return { created: true };
  }

  async open(sha256: string): Promise<Readable> {
    const file = this.pathOf(sha256);
    await fs.promises.access(file, fs.constants.R_OK);
    return fs.createReadStream(file);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await fs.promises.access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }
}
