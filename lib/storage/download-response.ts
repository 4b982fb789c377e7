import "server-only";
import type { Readable } from "node:stream";
import { blobStore } from "@/lib/storage/blob-store";
import { AppError } from "@/lib/errors";
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
  const store = blobStore();
  if (!(await store.has(file.sha256))) throw new AppError("NOT_FOUND", "That file is no longer stored.");
  return fileResponse(() => store.open(file.sha256), file);
}

/**
 * A stored file's bytes as a response body that opens the file at the first read and closes it when
 * the bytes end or the reader cancels. Opened any earlier, a download whose client left before the
 * handler returned would hold its file (on the S3 store, its connection to the store) for the life of
 * the process: Next's pipeline neither reads nor cancels such a body (measured: each of 20
 * requests reset at once left its file open), so one caller could use up the server's descriptors.
 */
export function openedOnRead(open: () => Promise<Readable>): ReadableStream<Uint8Array> {
  let opening: Promise<AsyncIterator<Uint8Array>> | null = null;
  let cancelled = false;
  const iterate = async () => (await open())[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunks = await (opening ??= iterate());
        const next = await chunks.next();
        // Cancelled while opening or reading: cancel() closes the file; the stream takes no more bytes.
        if (cancelled) return;
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        cancelled = true;
        // A reader that leaves while the file is still being opened: close it once it is open.
        const chunks = opening && (await opening.catch(() => null));
        await chunks?.return?.();
      },
    },
    // Nothing is pulled (so nothing opened) until a reader asks.
    { highWaterMark: 0 },
  );
}

/** The download headers of downloadResponse around a stored file's bytes (evidence bundles, stored files). */
export function fileResponse(
  open: () => Promise<Readable>,
  file: { sha256: string; size: number; mediaType: string; fileName: string },
): Response {
  return new Response(openedOnRead(open), {
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
