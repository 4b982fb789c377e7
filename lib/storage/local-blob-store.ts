import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { BlobNotFoundError, checkSha256, type StoredBlob } from "@/lib/storage/blob-names";
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
    checkSha256(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(sha256: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    const target = this.pathOf(sha256);
    if (createHash("sha256").update(bytes).digest("hex") !== sha256)
      throw new Error("The bytes do not match their SHA-256");
    if (await this.touch(target)) return { created: false };
    await this.writeInPlace(target, async (handle) => {
      await handle.writeFile(bytes);
    });
    return { created: true };
  }

  /** Stores a file's bytes (an evidence bundle) under their hash, checked as they are copied. */
  async putFile(sha256: string, file: string): Promise<{ created: boolean }> {
    const target = this.pathOf(sha256);
    if (await this.touch(target)) return { created: false };
    await this.writeInPlace(target, async (handle) => {
      const hash = createHash("sha256");
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
        hash.update(chunk as Buffer);
        await handle.write(chunk as Buffer);
      }
      if (hash.digest("hex") !== sha256) throw new Error("The file does not match its SHA-256");
    });
    return { created: true };
  }

  /**
   * Marks a blob a write just found as in use (its modification time), so the garbage collector, which
   * removes only blobs untouched for its grace period, leaves it. False when there is no such blob.
   */
  private async touch(target: string): Promise<boolean> {
    const now = new Date();
    try {
      await fs.promises.utimes(target, now, now);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  /** Writes a temporary file, syncs it and renames it into place; a failure leaves nothing behind. */
  private async writeInPlace(target: string, write: (handle: fs.promises.FileHandle) => Promise<void>): Promise<void> {
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = path.join(this.root, `${TEMP_PREFIX}${randomUUID()}`);
    try {
      const handle = await fs.promises.open(temp, "wx", 0o600);
      try {
        await write(handle);
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
  }

  /**
   * Removes the blob only if no write has stored or found it since `untouchedSince`; true if removed.
   * The file is first renamed aside (atomic), then its time read: a write that touched it before the
   * rename is seen and the file put back; one that comes after finds no blob and stores it anew.
   */
  async removeIfUntouched(sha256: string, untouchedSince: Date): Promise<boolean> {
    const target = this.pathOf(sha256);
    const aside = path.join(this.root, `${TEMP_PREFIX}gc-${randomUUID()}`);
    try {
      await fs.promises.rename(target, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    if ((await fs.promises.stat(aside)).mtime >= untouchedSince) {
      // Same name, same bytes: putting it back over a copy stored meanwhile changes nothing.
      await fs.promises.rename(aside, target);
      return false;
    }
    await fs.promises.rm(aside, { force: true });
    return true;
  }

  /** Every blob no write has stored or found since `before`. */
  async *untouchedSince(before: Date): AsyncIterable<StoredBlob> {
    let fans: string[];
    try {
      fans = (await fs.promises.readdir(this.root)).filter((name) => /^[0-9a-f]{2}$/.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const fan of fans) {
      for (const name of (await fs.promises.readdir(path.join(this.root, fan))).sort()) {
        if (!/^[0-9a-f]{64}$/.test(name) || !name.startsWith(fan)) continue;
        const stat = await fs.promises.stat(path.join(this.root, fan, name)).catch(() => null);
        if (stat?.isFile() && stat.mtime < before) yield { sha256: name, size: stat.size };
      }
    }
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
    try {
      await fs.promises.access(file, fs.constants.R_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BlobNotFoundError(sha256);
      throw error;
    }
    return fs.createReadStream(file);
  }

  async has(sha256: string): Promise<boolean> {
    const file = this.pathOf(sha256);
    try {
      await fs.promises.access(file);
      return true;
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await fs.promises.rm(this.pathOf(sha256), { force: true });
  }
}
