import fs from "node:fs";
import { Readable } from "node:stream";
import { apiRead } from "@/lib/rest/api-route";
import { AppError } from "@/lib/errors";
import { bundlePath } from "@/lib/evidence/export-jobs";
import { getEvidenceExport } from "@/lib/evidence/queries";
import { fileResponse } from "@/lib/storage/download-response";

/** The finished bundle (ZIP), with its SHA-256 as ETag and Repr-Digest. */
export const GET = apiRead<{ id: string }>(async ({ principal, params }) => {
  const job = await getEvidenceExport(principal.actor, params.id.slice(0, 64));
  if (job.status !== "DONE" || !job.sha256)
    throw new AppError(
      job.status === "FAILED" ? "NOT_FOUND" : "CONFLICT",
      job.status === "FAILED"
        ? `That export failed: ${job.error}`
        : "That export is still being built; poll its status and download it when it is done.",
    );
  const file = bundlePath(job.id);
  if (!fs.existsSync(file))
    throw new AppError("NOT_FOUND", "The bundle file is no longer on the server; export it again.");
  return fileResponse(Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>, {
    size: job.bytes,
    sha256: job.sha256,
    mediaType: "application/zip",
    fileName: `apiledger-evidence-${job.period.replace(/[^\w.-]+/g, "_")}-${job.id}.zip`,
  });
});
