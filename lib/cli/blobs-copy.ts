// npm run blobs:copy -- --from local --to postgres (or s3)
// Copies the stored files and evidence bundles from one blob store to another, before APILEDGER_BLOB_STORE
// is changed to the new one (lib/storage/copy-blobs.ts). Safe to run again; run it once more right before
// switching, with the servers stopped, to take what was uploaded meanwhile.
import { fail, parseFlags } from "@/lib/cli/run";
import { disconnectDb } from "@/lib/db/client";
import { BLOB_STORE_KINDS, type BlobStoreKind } from "@/lib/storage/blob-store";
import { copyBlobs } from "@/lib/storage/copy-blobs";

const usage = "usage: npm run blobs:copy -- --from local|postgres|s3 --to local|postgres|s3";
const flags = parseFlags(process.argv.slice(2));
const kind = (value: unknown): BlobStoreKind =>
  BLOB_STORE_KINDS.includes(value as BlobStoreKind) ? (value as BlobStoreKind) : fail(usage);
const from = kind(flags.from);
const to = kind(flags.to);
try {
  const { copied, present, bytes } = await copyBlobs(from, to, (line) => console.log(`blobs:copy: ${line}`));
  console.log(
    `Copied ${copied} file(s) from the ${from} store to the ${to} store (${present} already there; ${(bytes / 1048576).toFixed(1)} MB checked). Now set APILEDGER_BLOB_STORE=${to}.`,
  );
} catch (error) {
  fail(`blobs:copy failed: ${(error as Error).message}`);
} finally {
  await disconnectDb();
}
