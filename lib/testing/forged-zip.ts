import { buffer } from "node:stream/consumers";
import yazl from "yazl";

// ZIP archives for tests, built with yazl; the hostile ones yazl refuses to write (names that climb out,
// absolute names, backslashes, names that are not UTF-8, encrypted entries) are written with a harmless
// placeholder of the same length and then patched in the finished archive's headers.

export type ZipFileSpec = { name: string; data: string | Buffer; compress?: boolean; mode?: number };

export async function buildZip(files: ZipFileSpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files)
    zip.addBuffer(typeof f.data === "string" ? Buffer.from(f.data) : f.data, f.name, {
      compress: f.compress ?? true,
      mtime: new Date("2026-01-01T00:00:00Z"),
      ...(f.mode === undefined ? {} : { mode: f.mode }),
    });
  zip.end();
  return buffer(zip.outputStream);
}

/** The archive with every occurrence of the name `from` (local and central headers) replaced by `to`'s bytes. */
export function renameEntry(zip: Buffer, from: string, to: string | Buffer): Buffer {
  const a = Buffer.from(from);
  const b = typeof to === "string" ? Buffer.from(to) : to;
  if (a.length !== b.length) throw new Error("a forged name must keep the placeholder's length");
  const out = Buffer.from(zip);
  let found = 0;
  for (let i = out.indexOf(a); i !== -1; i = out.indexOf(a, i + a.length)) {
    b.copy(out, i);
    found++;
  }
  if (found !== 2) throw new Error(`expected the name in 2 headers, found ${found}`);
  return out;
}

/** The archive with the general-purpose flag bits `bits` set on every entry (bit 0: encrypted). */
export function setEntryFlags(zip: Buffer, bits: number): Buffer {
  const out = Buffer.from(zip);
  const at = (signature: number, flagOffset: number) => {
    const sig = Buffer.alloc(4);
    sig.writeUInt32LE(signature);
    for (let i = out.indexOf(sig); i !== -1; i = out.indexOf(sig, i + 4))
      out.writeUInt16LE(out.readUInt16LE(i + flagOffset) | bits, i + flagOffset);
  };
  at(0x04034b50, 6); // local file header
  at(0x02014b50, 8); // central directory header
  return out;
}

/** A file of `size` bytes that deflates to about a seventh of it: large without looking like a bomb. */
export function lowEntropyText(size: number): Buffer {
  const out = Buffer.alloc(size);
  let seed = 12345;
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = seed & 0x10000 ? 0x61 : 0x62;
  }
  return out;
}
