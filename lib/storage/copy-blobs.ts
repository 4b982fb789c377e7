import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { db } from "@/lib/db/client";
import { databaseUrl } from "@/lib/db/db-url";
import { dataDir } from "@/lib/runtime/secrets";
import { legacyBundlePath, type BlobStore, type BlobStoreKind } from "@/lib/storage/blob-store";
import { LocalBlobStore } from "@/lib/storage/local-blob-store";
import { PostgresBlobStore } from "@/lib/storage/postgres-blob-store";

/** A store of the given kind for this installation (its data folder, its database). */
function storeOf(kind: BlobStoreKind): BlobStore {
  return kind === "local" ? new LocalBlobStore(path.join(dataDir(), "files")) : new PostgresBlobStore(databaseUrl());
}

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
  const source = storeOf(from);
  const target = storeOf(to);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-copy-"));
  let copied = 0;
  let present = 0;
  let bytes = 0;
  const copy = async (sha256: string, file: string) => {
    const { created } = await target.putFile(sha256, file);
    if (created) copied++;
    else present++;
    bytes += fs.statSync(file).size;
    if ((copied + present) % 100 === 0) log(`${copied + present} file(s) done`);
  };
  try {
    const file = path.join(scratch, "blob");
    for await (const blob of source.untouchedSince(new Date(8.64e15))) {
      await pipeline(await source.open(blob.sha256), fs.createWriteStream(file));
      await copy(blob.sha256, file);
    }
    for (const bundle of await db.evidenceExport.findMany({
      where: { status: "DONE", sha256: { not: "" } },
      select: { id: true, sha256: true },
    })) {
      const legacy = legacyBundlePath(bundle.id);
      if (fs.existsSync(legacy) && !(await target.has(bundle.sha256))) await copy(bundle.sha256, legacy);
    }
    return { copied, present, bytes };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    for (const store of [source, target]) if (store instanceof PostgresBlobStore) await store.close();
  }
}
