import "server-only";
import { db } from "@/lib/db/client";
import { blobStore } from "@/lib/storage/blob-store";
import type { StoredBlob } from "@/lib/storage/blob-names";

/**
 * How long a blob no record refers to is kept. A write stores its blob before the row that names it
 * commits, and touches a blob it finds already stored: a day covers any write still in flight, and a
 * bundle being built, by orders of magnitude.
 */
export const BLOB_GRACE_HOURS = 24;

const BATCH = 500;

/**
 * Removes the blobs no record refers to — uploads whose write failed, an API description replaced by
 * another, bundles of an export that failed after storing — once untouched for the grace period. A blob
 * is referenced while a document version or an API description names it, or a finished evidence export. A write that finds a blob touches it, so one found during the
 * collection is kept (BlobStore.removeIfUntouched).
 */
export async function collectUnreferencedBlobs(
  now = new Date(),
  graceHours = BLOB_GRACE_HOURS,
): Promise<{ removed: number; bytes: number }> {
  const store = blobStore();
  const before = new Date(now.getTime() - graceHours * 3600_000);
  let removed = 0;
  let bytes = 0;
  const sweep = async (batch: StoredBlob[]) => {
    const names = batch.map((b) => b.sha256);
    const [files, bundles] = await Promise.all([
      db.storedFile.findMany({
        where: { sha256: { in: names }, OR: [{ versions: { some: {} } }, { descriptions: { some: {} } }] },
        select: { sha256: true },
      }),
      db.evidenceExport.findMany({ where: { sha256: { in: names } }, select: { sha256: true } }),
    ]);
    const referenced = new Set([...files, ...bundles].map((r) => r.sha256));
    for (const blob of batch) {
      if (referenced.has(blob.sha256)) continue;
      if (await store.removeIfUntouched(blob.sha256, before)) {
        removed++;
        bytes += blob.size;
      }
    }
  };
  let batch: StoredBlob[] = [];
  for await (const blob of store.untouchedSince(before)) {
    batch.push(blob);
    if (batch.length >= BATCH) {
      await sweep(batch);
      batch = [];
    }
  }
  if (batch.length) await sweep(batch);
  return { removed, bytes };
}
