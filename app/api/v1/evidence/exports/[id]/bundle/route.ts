import fs from "node:fs";
import { apiRead } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import { getEvidenceExport } from "@/lib/evidence/queries";
import { fileResponse } from "@/lib/storage/download-response";
import { blobStore, legacyBundlePath } from "@/lib/storage/blob-store";

/** The finished bundle (ZIP), from the shared store, with its SHA-256 as ETag and Repr-Digest. */
export const GET = apiRead<{ id: string }>(async ({ principal, params }) => {
  const job = await getEvidenceExport(principal.actor, params.id.slice(0, 64));
  if (job.status !== "DONE" || !job.sha256)
    throw new AppError(
      job.status === "FAILED" ? "NOT_FOUND" : "CONFLICT",
      job.status === "FAILED"
        ? `That export failed: ${job.error}`
        : "That export is still being built; poll its status and download it when it is done.",
    );
  const { sha256 } = job;
  const store = blobStore();
  // Bundles built before they went to the blob store are still files of their own on this machine.
  const legacy = legacyBundlePath(job.id);
  const open = (await store.has(sha256))
    ? () => store.open(sha256)
    : fs.existsSync(legacy)
      ? async () => fs.createReadStream(legacy)
      : null;
  if (!open) throw new AppError("NOT_FOUND", "The bundle file is no longer stored; export it again.");
  return fileResponse(open, {
    size: job.bytes,
    sha256,
    mediaType: "application/zip",
    fileName: `apiledger-evidence-${job.period.replace(/[^\w.-]+/g, "_")}-${job.id}.zip`,
  });
});
