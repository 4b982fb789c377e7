import "server-only";
import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import { PassThrough, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { CHUNK, DEFLATE_OPTIONS, type DeflatedFile } from "@/lib/evidence/deflate-file";

export type BundleFile = { path: string; size: number; sha256: string };
export type Source = Buffer | string | (() => AsyncIterable<Buffer | string> | Iterable<Buffer | string>);

/*
 * The ZIP container written by hand (the compression is node:zlib's, the checksums zlib's CRC-32 and
 * SHA-256): yazl, used before, computes CRC-32 in JavaScript, passes every chunk through five streams,
 * and cannot take an entry that is already compressed, which is what lets a table's JSON twin be
 * deflated on another thread while its CSV is (deflateToFile). PKWARE's APPNOTE 6.3.10: local headers
 * with a data descriptor after the data, Zip64 only where a size, offset or count needs it.
 *
 * Every entry gets the same date and mode, so the same content always gives the same bytes: the export
 * time lives in the manifest only. 1 January 2000, 00:00, written as MS-DOS date and time fields
 * (which have no time zone, so no extended timestamp is written to tie them to one).
 */
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const FILE_MODE = 0o100644;
const UTF8_NAME = 0x0800;
const HAS_DESCRIPTOR = 0x0008;
const DEFLATE = 8;
const STORE = 0;
const MADE_BY_UNIX = (3 << 8) | 63;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

type Written = {
  name: Buffer;
  method: number;
  flags: number;
  crc32: number;
  size: number;
  compressedSize: number;
  offset: number;
};
type Entry = { path: string; write: () => Promise<void> };

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
  private readonly out = new PassThrough({ highWaterMark: CHUNK });
  private readonly done: Promise<void>;
  private readonly entries: Entry[] = [];
  private readonly written: Written[] = [];

  constructor(destination: Writable) {
    this.done = pipeline(this.out, destination);
    // Seen by finish() or by a write waiting for room; never an unhandled rejection meanwhile.
    this.done.catch(() => {});
  }

  /**
   * Adds an entry. A function source runs when the archive reaches the entry, so it can use the
   * files recorded before it (the manifest lists everything added earlier).
   */
  add(path: string, source: Source, options: { compress?: boolean } = {}): void {
    this.entries.push({ path, write: () => this.writeStream(path, source, options.compress ?? true) });
  }

  /** Adds an entry whose content `load` has deflated into a file, copied as it is when the archive reaches it. */
  addDeflated(path: string, load: () => Promise<DeflatedFile>): void {
    this.entries.push({ path, write: async () => this.writeDeflated(path, await load()) });
  }

  /** Writes every entry in order, then the central directory, and waits until the destination has every byte. */
  async finish(): Promise<void> {
    try {
      for (const entry of this.entries) await entry.write();
      await this.put(centralDirectory(this.written, this.bytes));
      this.sha256 = this.archiveHash.digest("hex");
      this.out.end();
    } catch (error) {
      this.abort(error as Error);
    }
    await this.done;
  }

  /** Stops writing: the destination gets an error instead of a truncated archive that looks whole. */
  abort(error: Error): void {
    this.out.destroy(error);
  }

  private async writeStream(path: string, source: Source, compress: boolean): Promise<void> {
    const entry = this.begin(path, compress ? DEFLATE : STORE, HAS_DESCRIPTOR);
    await this.put(localHeader(entry));
    const hash = createHash("sha256");
    const input = typeof source === "function" ? source() : [source];
    const deflate = compress ? zlib.createDeflateRaw(DEFLATE_OPTIONS) : null;
    const copied = deflate ? this.copyOut(deflate, entry) : Promise.resolve();
    copied.catch(() => {}); // awaited below unless the source fails first, whose error is the one to report
    // Small pieces (the OSCAL results yield one per sign-off) are gathered into chunks first: each
    // write to the compressor is a round trip to zlib's thread.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      entry.crc32 = zlib.crc32(bytes, entry.crc32);
      entry.size += bytes.length;
      hash.update(bytes);
      if (!deflate) {
        entry.compressedSize += bytes.length;
        await this.put(bytes);
      } else if (!deflate.write(bytes)) await Promise.race([once(deflate, "drain"), copied]);
    };
    try {
      for await (const chunk of input) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= CHUNK) await flush();
      }
      if (pendingBytes > 0) await flush();
      deflate?.end();
      await copied;
    } catch (error) {
      deflate?.destroy();
      throw error;
    }
    await this.put(dataDescriptor(entry));
    this.files.push({ path, size: entry.size, sha256: hash.digest("hex") });
  }

  private async copyOut(deflate: zlib.DeflateRaw, entry: Written): Promise<void> {
    for await (const chunk of deflate) {
      entry.compressedSize += (chunk as Buffer).length;
      await this.put(chunk as Buffer);
    }
  }

  private async writeDeflated(path: string, deflated: DeflatedFile): Promise<void> {
    const entry = this.begin(path, DEFLATE, HAS_DESCRIPTOR);
    await this.put(localHeader(entry));
    for await (const chunk of fs.createReadStream(deflated.file, { highWaterMark: CHUNK }))
      await this.put(chunk as Buffer);
    Object.assign(entry, { crc32: deflated.crc32, size: deflated.size, compressedSize: deflated.compressedSize });
    await this.put(dataDescriptor(entry));
    this.files.push({ path, size: deflated.size, sha256: deflated.sha256 });
  }

  private begin(path: string, method: number, flags: number): Written {
    const entry = {
      name: Buffer.from(path),
      method,
      flags: flags | UTF8_NAME,
      crc32: 0,
      size: 0,
      compressedSize: 0,
      offset: this.bytes,
    };
    if (entry.name.length > MAX16) throw new Error(`${path}: name too long for ZIP`);
    this.written.push(entry);
    return entry;
  }

  private async put(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    this.archiveHash.update(chunk);
    if (!this.out.write(chunk)) await Promise.race([once(this.out, "drain"), this.done]);
  }
}

const isZip64 = (e: Written) => e.size >= MAX32 || e.compressedSize >= MAX32 || e.offset >= MAX32;

function localHeader(e: Written): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(e.flags, 6);
  header.writeUInt16LE(e.method, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  // CRC-32 and sizes (14–25) are zero: they follow the data in the descriptor.
  header.writeUInt16LE(e.name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, e.name]);
}

function dataDescriptor(e: Written): Buffer {
  const large = e.size >= MAX32 || e.compressedSize >= MAX32;
  const d = Buffer.alloc(large ? 24 : 16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(e.crc32 >>> 0, 4);
  if (large) {
    d.writeBigUInt64LE(BigInt(e.compressedSize), 8);
    d.writeBigUInt64LE(BigInt(e.size), 16);
  } else {
    d.writeUInt32LE(e.compressedSize, 8);
    d.writeUInt32LE(e.size, 12);
  }
  return d;
}

function centralDirectory(entries: Written[], start: number): Buffer {
  const records = entries.map((e) => {
    const zip64 = isZip64(e);
    const r = Buffer.alloc(46 + (zip64 ? 28 : 0));
    r.writeUInt32LE(0x02014b50, 0);
    r.writeUInt16LE(MADE_BY_UNIX, 4);
    r.writeUInt16LE(zip64 ? 45 : 20, 6);
    r.writeUInt16LE(e.flags, 8);
    r.writeUInt16LE(e.method, 10);
    r.writeUInt16LE(DOS_TIME, 12);
    r.writeUInt16LE(DOS_DATE, 14);
    r.writeUInt32LE(e.crc32 >>> 0, 16);
    r.writeUInt32LE(zip64 ? MAX32 : e.compressedSize, 20);
    r.writeUInt32LE(zip64 ? MAX32 : e.size, 24);
    r.writeUInt16LE(e.name.length, 28);
    r.writeUInt16LE(zip64 ? 28 : 0, 30);
    // comment length, disk number and internal attributes (32–37) are zero
    r.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
    r.writeUInt32LE(zip64 ? MAX32 : e.offset, 42);
    if (zip64) {
      r.writeUInt16LE(0x0001, 46);
      r.writeUInt16LE(24, 48);
      r.writeBigUInt64LE(BigInt(e.size), 50);
      r.writeBigUInt64LE(BigInt(e.compressedSize), 58);
      r.writeBigUInt64LE(BigInt(e.offset), 66);
    }
    return Buffer.concat([r.subarray(0, 46), e.name, r.subarray(46)]);
  });
  const directory = Buffer.concat(records);
  const size = directory.length;
  const zip64 = entries.length >= MAX16 || size >= MAX32 || start >= MAX32;
  const tail: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(MADE_BY_UNIX, 12);
    record.writeUInt16LE(45, 14);
    // this disk and the directory's disk (16–23) are zero
    record.writeBigUInt64LE(BigInt(entries.length), 24);
    record.writeBigUInt64LE(BigInt(entries.length), 32);
    record.writeBigUInt64LE(BigInt(size), 40);
    record.writeBigUInt64LE(BigInt(start), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(start + size), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, MAX16), 8);
  end.writeUInt16LE(Math.min(entries.length, MAX16), 10);
  end.writeUInt32LE(Math.min(size, MAX32), 12);
  end.writeUInt32LE(Math.min(start, MAX32), 16);
  return Buffer.concat([directory, ...tail, end]);
}
