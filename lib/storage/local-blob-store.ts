import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

const SHA256 = /^[0-9a-f]{64}$/;
const TEMP_PREFIX = ".tmp-";
/**
 * A temporary file untouched this long belongs to no upload in progress (an upload writes its file in
 * one go, then renames it): it was left by a crash, and start-up removes it. The wait keeps a second
 * instance sharing the directory from deleting the other's upload under it.
 */
export const ABANDONED_TEMP_MS = 60_000;

/**
 * Blobs as files under a root directory, fanned out by the first two hex digits (ab/abcdef…) so no
 * directory grows huge. Names are only ever hashes checked against SHA256, so no caller-supplied text
 * reaches a path. Writes go to a temporary file that is renamed into place: a crash never leaves a
 * half-written blob under a valid name.
 */
// A BlobStore (lib/storage/blob-store.ts checks it where it makes one; no import back, so no cycle).
export class LocalBlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error("Not a SHA-256 hex digest");
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(sha256: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    const target = this.pathOf(sha256);
    if (createHash("sha256").update(bytes).digest("hex") !== sha256)
      throw new Error("The bytes do not match their SHA-256");
    if (await this.has(sha256)) return { created: false };
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = path.join(this.root, `${TEMP_PREFIX}${randomUUID()}`);
    try {
      const handle = await fs.promises.open(temp, "wx", 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temp, target);
    } catch (error) {
      // A full disk (ENOSPC) or any other failure must not leave the partial file behind.
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
    return { created: true };
  }

  /** Readiness: a temporary file is written, synced and removed under the root (throws if it cannot be). */
  async checkWritable(): Promise<void> {
    await fs.promises.mkdir(this.root, { recursive: true, mode: 0o700 });
    const temp = path.join(this.root, `${TEMP_PREFIX}ready-${randomUUID()}`);
    try {
      const handle = await fs.promises.open(temp, "wx", 0o600);
      try {
        await handle.writeFile("ready");
        await handle.sync();
      } finally {
        await handle.close();
      }
    } finally {
      await fs.promises.rm(temp, { force: true });
    }
  }

  /** Removes temporary files left by a crash (see ABANDONED_TEMP_MS); returns how many. */
  async removeAbandonedTempFiles(now = Date.now()): Promise<number> {
    let entries: string[];
    try {
      entries = await fs.promises.readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw error;
    }
    let removed = 0;
    for (const name of entries) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const file = path.join(this.root, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (!stat?.isFile() || now - stat.mtimeMs < ABANDONED_TEMP_MS) continue;
      await fs.promises.rm(file, { force: true });
      removed++;
    }
    return removed;
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
