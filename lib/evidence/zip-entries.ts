import type { Readable } from "node:stream";
import yauzl from "yauzl";

/**
 * Calls `onEntry` with each file of a ZIP archive in order, as a stream, and waits for it before the
 * next; used by the offline verifier (which hashes) and by tests (which read whole files). Names that
 * are absolute or climb out with ".." are refused by yauzl (strictFileNames), as are duplicated names.
 */
export function forEachZipEntry(
  file: string,
  onEntry: (name: string, stream: Readable) => Promise<void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const seen = new Set<string>();
    yauzl.open(file, { lazyEntries: true, strictFileNames: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error("cannot open"));
      zip.on("error", reject);
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        if (seen.has(entry.fileName)) return reject(new Error(`${entry.fileName} appears twice`));
        seen.add(entry.fileName);
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error("cannot read"));
          onEntry(entry.fileName, stream).then(() => zip.readEntry(), reject);
        });
      });
      zip.readEntry();
    });
  });
}
