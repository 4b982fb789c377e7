import fs from "node:fs";
import { buffer } from "node:stream/consumers";
import { ZipFile } from "yazl";
import { forEachZipEntry } from "@/lib/evidence/zip-entries";

/** Every file of a ZIP archive, by path, for tests that look inside evidence bundles. */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  await forEachZipEntry(file, async (name, stream) => {
    out.set(name, await buffer(stream));
  });
  return out;
}

/** Writes files back into a ZIP archive, for tests that alter a bundle or a backup and pack it again. */
export function writeZip(files: Map<string, Buffer>, file: string): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of files) zip.addBuffer(bytes, name);
  zip.end();
  return new Promise((resolve, reject) =>
    zip.outputStream
      .pipe(fs.createWriteStream(file))
      .on("finish", () => resolve())
      .on("error", reject),
  );
}
