import { buffer } from "node:stream/consumers";
import { forEachZipEntry } from "@/lib/evidence/zip-entries";

/** Every file of a ZIP archive, by path, for tests that look inside evidence bundles. */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  await forEachZipEntry(file, async (name, stream) => {
    out.set(name, await buffer(stream));
  });
  return out;
}
