import "server-only";
import { createHash } from "node:crypto";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ZipFile } from "yazl";

export type BundleFile = { path: string; size: number; sha256: string };
export type Source = Buffer | string | (() => AsyncIterable<Buffer | string> | Iterable<Buffer | string>);

// Every entry gets the same timestamp and mode, so the same content always gives the same bytes:
// the export time lives in the manifest only. 1 January 2000 is representable in the DOS date format
// that ZIP headers use (which starts in 1980 and has no time zone).
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;

/**
 * A ZIP written as a stream: each entry's content is produced only when the archive reaches it (one
 * source open at a time, so memory stays bounded whatever the bundle's size), hashed on the way
 * through, and recorded with its size and SHA-256 for the manifest.
 */
export class ZipWriter {
  readonly files: BundleFile[] = [];
  /** Bytes of the archive written so far, and their SHA-256 once finished. */
  bytes = 0;
  sha256 = "";
  private readonly archiveHash = createHash("sha256");
  private readonly zip = new ZipFile();
  private readonly done: Promise<void>;

  constructor(destination: Writable) {
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, next) => {
        this.bytes += chunk.length;
        this.archiveHash.update(chunk);
        next(null, chunk);
      },
      flush: (next) => {
        this.sha256 = this.archiveHash.digest("hex");
        next();
      },
    });
    this.done = pipeline(this.zip.outputStream as unknown as Readable, counter, destination);
    this.zip.on("error", (error: Error) => this.abort(error));
  }

  /**
   * Adds an entry. A function source runs when the archive reaches the entry, so it can use the
   * files recorded before it (the manifest lists everything added earlier).
   */
  add(path: string, source: Source, options: { compress?: boolean } = {}): void {
    this.zip.addReadStreamLazy(
      path,
      { mtime: FIXED_MTIME, mode: FILE_MODE, compress: options.compress ?? true },
      (callback) => {
        try {
          const input =
            typeof source === "function"
              ? Readable.from(source(), { objectMode: false })
              : Readable.from([typeof source === "string" ? Buffer.from(source) : source]);
          const hash = createHash("sha256");
          let size = 0;
          const files = this.files;
          const hasher = new Transform({
            transform(chunk: Buffer | string, _encoding, next) {
              const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
              hash.update(bytes);
              size += bytes.length;
              next(null, bytes);
            },
            flush(next) {
              files.push({ path, size, sha256: hash.digest("hex") });
              next();
            },
          });
          // yazl does not listen for errors on entry streams: a failing source stops the whole archive.
          input.on("error", (error) => hasher.destroy(error));
          hasher.on("error", (error) => this.abort(error));
          callback(null, input.pipe(hasher));
        } catch (error) {
          callback(error as Error, undefined as never);
        }
      },
    );
  }

  /** Finishes the archive and waits until the destination has every byte. */
  async finish(): Promise<void> {
    this.zip.end();
    await this.done;
  }

  /** Stops writing: the destination gets an error instead of a truncated archive that looks whole. */
  abort(error: Error): void {
    (this.zip.outputStream as unknown as Readable).destroy(error);
  }
}
