import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { db } from "@/lib/db/client";
import {
  closeBlobStore,
  legacyBundlePath,
  makeBlobStore,
  type BlobStore,
  type BlobStoreKind,
} from "@/lib/storage/blob-store";

/**
 * Copies every blob of one store into another (before APILEDGER_BLOB_STORE is changed), and the evidence
 * bundles exported before bundles went to the store (legacy files in <data dir>/evidence). Each blob is
 * checked against its name as it is stored; blobs already there are left as they are, so a copy can be
 * run again after an interruption.
 */
export async function copyBlobs(
  from: BlobStoreKind,
  to: BlobStoreKind,
  log: (line: string) => void = () => {},
): Promise<{ copied: number; present: number; bytes: number }> {
  if (from === to) throw new Error("Give two different stores.");
  const source = makeBlobStore(from);
  const target = makeBlobStore(to);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-copy-"));
  let copied = 0;
  let present = 0;
  let bytes = 0;
  const bundles = await db.evidenceExport.findMany({
    where: { status: "DONE", sha256: { not: "" } },
    select: { id: true, sha256: true },
  });
  const bundleHashes = new Set(bundles.map((bundle) => bundle.sha256));
  const copy = async (sha256: string, file: string) => {
    // Bundles keep their WORM retention in a store that has it (S3 Object Lock).
    const { created } = await target.putFile(sha256, file, { retain: bundleHashes.has(sha256) });
    if (created) copied++;
    else present++;
    bytes += fs.statSync(file).size;
    if ((copied + present) % 100 === 0) log(`${copied + present} file(s) done`);
  };
  try {
    await forEachBlobFile(source, scratch, copy);
    for (const bundle of bundles) {
      const legacy = legacyBundlePath(bundle.id);
      if (fs.existsSync(legacy) && !(await target.has(bundle.sha256))) await copy(bundle.sha256, legacy);
    }
    return { copied, present, bytes };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    for (const store of [source, target]) await closeBlobStore(store);
  }
}

/** Every blob of `source`, each read into a file in `scratch` (one at a time, overwritten) and handed to `each`. */
export async function forEachBlobFile(
  source: BlobStore,
  scratch: string,
  each: (sha256: string, file: string) => Promise<void>,
): Promise<void> {
  const file = path.join(scratch, "blob");
  for await (const blob of source.untouchedSince(new Date(8.64e15))) {
    await pipeline(await source.open(blob.sha256), fs.createWriteStream(file));
    await each(blob.sha256, file);
  }
}
