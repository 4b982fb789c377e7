import "server-only";
import { Readable } from "node:stream";
import { blobStore } from "@/lib/storage/blob-store";
import { DATA_RESPONSE_CSP } from "@/lib/http/security-headers";

/** RFC 6266 / 5987: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Serves a stored file as a download, never as a page: `attachment` so the browser saves it, nosniff
 * so it is not reinterpreted as HTML, and a sandboxing CSP in case it is opened anyway. The SHA-256
 * goes along (ETag and Repr-Digest) so the recipient can check the bytes.
 */
export async function downloadResponse(file: {
  sha256: string;
  size: number;
  mediaType: string;
  fileName: string;
}): Promise<Response> {
  const stream = await blobStore().open(file.sha256);
  return fileResponse(Readable.toWeb(stream) as ReadableStream<Uint8Array>, file);
}

/** The download headers of downloadResponse around any byte stream (evidence bundles, stored files). */
export function fileResponse(
  body: ReadableStream<Uint8Array>,
  file: { sha256: string; size: number; mediaType: string; fileName: string },
): Response {
  return new Response(body, {
    headers: {
      "Content-Type": file.mediaType,
      "Content-Length": String(file.size),
      "Content-Disposition": contentDisposition(file.fileName),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": DATA_RESPONSE_CSP,
      "Cache-Control": "private, no-store",
      ETag: `"${file.sha256}"`,
      "Repr-Digest": `sha-256=:${Buffer.from(file.sha256, "hex").toString("base64")}:`,
    },
  });
}
