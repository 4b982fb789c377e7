import { buffer } from "node:stream/consumers";
import path from "node:path";
import yauzl from "yauzl";
import { textProblem } from "@/lib/input/text";

// An uploaded ZIP archive, read in memory with yauzl, for imports that take a folder of files (a Backstage
// catalog with the definitions it references). Everything an archive can lie about is checked on its
// central directory before a byte is inflated, and the whole archive is refused with a sentence per
// problem — never a partial read:
// - how many entries, each entry's size and the total, and each entry's compression ratio (a zip bomb
//   declares small sizes or inflates hugely; yauzl's validateEntrySizes makes the declared size binding,
//   so checking it up front bounds what inflating can produce);
// - names: UTF-8 only (yauzl would decode anything else as CP437, so the same bytes could name another
//   file than the author meant), no absolute paths, drive letters, backslashes or ".." segments, and no
//   character the outside-text rule refuses; names are compared after NFC normalisation, so two spellings
//   of one name are a duplicate, as on a file system that normalises;
// - symbolic links (Unix mode in the external attributes) and encrypted entries, which are never followed
//   or decrypted, and compression methods yauzl cannot inflate.

export type ZipLimits = {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Inflated ÷ compressed size above which an entry is refused as a zip bomb… */
  maxRatio: number;
  /** …once it inflates to more than this (tiny files compress oddly and cost nothing). */
  ratioFloorBytes: number;
};
export type ZipUpload = { ok: true; files: Map<string, Buffer> } | { ok: false; errors: string[] };

const MAX_LISTED = 10;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const UNIX = 3;
const formatBytes = (n: number) =>
  n >= 1048576 ? `${Math.round((n / 1048576) * 10) / 10} MB` : `${Math.ceil(n / 1024)} KB`;

/** Whether the bytes start as a ZIP archive does (a local file header, or the end record of an empty one). */
export const isZipArchive = (bytes: Uint8Array) =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));

/** Why an entry's name cannot be a path inside the archive, or null. */
export function entryPathProblem(name: string): string | null {
  const text = textProblem(name);
  if (text) return text;
  if (name.includes("\\")) return "contains a backslash";
  if (/^[A-Za-z]:/.test(name)) return "starts with a drive letter";
  if (name.startsWith("/")) return "is an absolute path";
  if (!name.replace(/\/$/, "")) return "is empty";
  const segments = name.replace(/\/$/, "").split("/");
  if (segments.some((s) => s === "..")) return "climbs out of the archive with ..";
  if (segments.some((s) => s === "" || s === ".")) return "has an empty or . segment";
  return null;
}

/** The archive path a reference names, relative to the folder `from` — or why it names none. */
export function resolveInside(from: string, reference: string): { path: string } | { problem: string } {
  let target: string;
  try {
    // A reference is a URL path: %2e%2e is "..", so it is decoded before it is judged.
    target = decodeURIComponent(reference);
  } catch {
    return { problem: "is not a valid relative path (a broken % escape)" };
  }
  const problem = textProblem(target);
  if (problem) return { problem };
  if (target.includes("\\")) return { problem: "contains a backslash" };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) return { problem: "is a URL or drive path, not a file in the bundle" };
  if (target.startsWith("/")) return { problem: "is an absolute path, not relative to the catalog file" };
  const joined = path.posix.normalize(path.posix.join(from || ".", target));
  if (joined === ".." || joined.startsWith("../")) return { problem: "points outside the bundle" };
  return { path: joined.normalize("NFC") };
}

function entryProblems(entry: yauzl.Entry, name: string, limits: ZipLimits): string[] {
  const problems: string[] = [];
  const isLink = entry.versionMadeBy >> 8 === UNIX && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
  if (isLink) problems.push(`${name} is a symbolic link; links are not followed.`);
  if (entry.isEncrypted()) problems.push(`${name} is encrypted; send it unencrypted.`);
  else if (!entry.canDecodeFileData())
    problems.push(`${name} uses a compression method this server does not read (use Deflate or none).`);
  if (entry.uncompressedSize > limits.maxEntryBytes)
    problems.push(
      `${name} is ${formatBytes(entry.uncompressedSize)}; the limit per file is ${formatBytes(limits.maxEntryBytes)}.`,
    );
  if (
    entry.uncompressedSize > limits.ratioFloorBytes &&
    entry.uncompressedSize > limits.maxRatio * Math.max(entry.compressedSize, 1)
  )
    problems.push(
      `${name} inflates more than ${limits.maxRatio} times its compressed size; it is refused as a possible zip bomb.`,
    );
  return problems;
}

/** Each entry of the archive with the name it is judged and kept under, or the archive's problems. */
async function listEntries(
  zip: yauzl.ZipFile,
  limits: ZipLimits,
): Promise<{ entries: { name: string; entry: yauzl.Entry }[]; problems: string[] }> {
  const problems: string[] = [];
  const entries: { name: string; entry: yauzl.Entry }[] = [];
  const seen = new Set<string>();
  let total = 0;
  for await (const entry of zip.eachEntry()) {
    let name: string;
    try {
      name = new TextDecoder("utf-8", { fatal: true }).decode(entry.fileNameRaw).normalize("NFC");
    } catch {
      problems.push(
        `An entry's name is not UTF-8 (${entry.fileNameRaw.toString("latin1").slice(0, 60)}); save the ZIP with UTF-8 names.`,
      );
      continue;
    }
    const shown = JSON.stringify(name.slice(0, 200));
    const nameProblem = entryPathProblem(name);
    if (nameProblem) {
      problems.push(`The entry ${shown} ${nameProblem}.`);
      continue;
    }
    if (seen.has(name)) problems.push(`${shown} appears twice in the archive.`);
    seen.add(name);
    problems.push(...entryProblems(entry, shown, limits));
    total += entry.uncompressedSize;
    if (!name.endsWith("/")) entries.push({ name, entry });
  }
  if (total > limits.maxTotalBytes)
    problems.push(`The archive inflates to ${formatBytes(total)}; the limit is ${formatBytes(limits.maxTotalBytes)}.`);
  return { entries, problems };
}

/** Reads every file of an uploaded ZIP archive, or says why the archive is refused. */
export async function readZipUpload(bytes: Uint8Array, limits: ZipLimits): Promise<ZipUpload> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    return { ok: false, errors: [`The file is not a readable ZIP archive (${(error as Error).message}).`] };
  }
  if (zip.entryCount > limits.maxEntries)
    return {
      ok: false,
      errors: [`The archive holds ${zip.entryCount} entries; the limit is ${limits.maxEntries}.`],
    };
  try {
    const { entries, problems } = await listEntries(zip, limits);
    if (problems.length) {
      const more = problems.length - MAX_LISTED;
      return { ok: false, errors: [...problems.slice(0, MAX_LISTED), ...(more > 0 ? [`…and ${more} more.`] : [])] };
    }
    const files = new Map<string, Buffer>();
    for (const { name, entry } of entries) files.set(name, await buffer(await zip.openReadStreamPromise(entry)));
    return { ok: true, files };
  } catch (error) {
    // A central directory that lies (sizes, offsets, a truncated archive): yauzl's own checks fail the read.
    return { ok: false, errors: [`The ZIP archive is damaged (${(error as Error).message}).`] };
  }
}
