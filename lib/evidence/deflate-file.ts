// Deflating into a scratch file, for a ZIP entry written later (ZipWriter#addDeflated). Apart from the
// writer because the events' worker thread (lib/evidence/event-rows.worker.ts) uses it too, and it
// imports no server module.
import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import { Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

/** An entry's content already deflated into a file (see deflateToFile), with what its headers need. */
export type DeflatedFile = { file: string; size: number; compressedSize: number; crc32: number; sha256: string };

export const CHUNK = 256 * 1024;
/**
 * Level 3 with zlib's largest hash table: on the 586 MB of a million-event bundle it gives the archive
 * size Info-ZIP's `zip -r` gives at its default level (89.6 MB against 89.4 MB) in 2.6 CPU seconds,
 * where zlib's own default, level 6, took 6.2 s for 82.2 MB (measured 2026-12-03): the export is
 * CPU-bound on two cores, and 8 % more archive is worth 3.6 s less compression.
 */
export const DEFLATE_OPTIONS: zlib.ZlibOptions = { level: 3, memLevel: 9, chunkSize: 64 * 1024 };

/** A file being deflated: what its writer uses, and its result. */
export type DeflatingFile = {
  input: Writable;
  /** What ZipWriter#addDeflated needs, once the file is complete; rejects if any part of it failed. */
  done: Promise<DeflatedFile>;
  /**
   * Writes a chunk, waiting while the compressor is behind. Rejects when the file cannot be written (a
   * full disk): waiting for "drain" alone would wait forever, as a failed pipeline never drains.
   */
  write: (chunk: Buffer) => Promise<void>;
  /** Writes the last chunk and waits for the complete file. */
  end: (chunk: Buffer) => Promise<DeflatedFile>;
  /** Stops the file unfinished (its writer failed), so the compressor and the file close now. */
  fail: (error: Error) => void;
};

/**
 * Deflates what is written into `file` (on zlib's thread, beside the archive's own), hashing it on the
 * way.
 */
export function deflateToFile(file: string): DeflatingFile {
  const hash = createHash("sha256");
  const result: DeflatedFile = { file, size: 0, compressedSize: 0, crc32: 0, sha256: "" };
  const input = new Transform({
    highWaterMark: CHUNK,
    transform(chunk: Buffer, _encoding, next) {
      result.crc32 = zlib.crc32(chunk, result.crc32);
      result.size += chunk.length;
      hash.update(chunk);
      next(null, chunk);
    },
  });
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      result.compressedSize += chunk.length;
      next(null, chunk);
    },
  });
  const done = pipeline(
    input,
    zlib.createDeflateRaw(DEFLATE_OPTIONS),
    counted,
    fs.createWriteStream(file, { mode: 0o600 }),
  ).then(() => ({ ...result, sha256: hash.digest("hex") }));
  // Awaited by the entry that copies the file; an error before then also rejects the writer's next write.
  done.catch(() => {});
  const write = async (chunk: Buffer) => {
    // A stopped pipeline rejects `done` with the reason (ENOSPC, say); a write to it would be lost.
    if (input.destroyed)
      throw await done.then(
        () => new Error(`${file} was closed before its end`),
        (e: unknown) => e,
      );
    if (!input.write(chunk)) await Promise.race([once(input, "drain"), done]);
  };
  return {
    input,
    done,
    write,
    end: async (chunk) => {
      await write(chunk);
      input.end();
      return done;
    },
    fail: (error) => input.destroy(error),
  };
}
