import "server-only";
import { promisify } from "node:util";
import { gunzip, inflate } from "node:zlib";
import { AppError } from "@/lib/errors";
import { readCapped } from "@/lib/input/read-capped";

const INFLATE = { gzip: promisify(gunzip), deflate: promisify(inflate) } as const;

/**
 * Reads a request body's bytes, refusing it (413) as soon as it passes `maxBytes`, declared or not. A
 * body sent with Content-Encoding gzip or deflate (log shippers and the OpenTelemetry Collector compress
 * by default) is inflated on zlib's thread, and the limit holds for the inflated bytes too, so a small
 * compressed body cannot expand into a large one. Other encodings are refused (415). With `deadlineMs`, a
 * body still arriving after that long is cancelled and refused (408).
 */
export async function readBodyBytes(
  request: Request,
  maxBytes: number,
  options: { deadlineMs?: number } = {},
): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "");
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than the limit of ${formatBytes(maxBytes)}.`);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip" && encoding !== "deflate")
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the body uncompressed, or with Content-Encoding gzip or deflate.",
    );
  const { deadlineMs } = options;
  const late = (): never => {
    throw new AppError(
      "REQUEST_TIMEOUT",
      `The request body did not arrive within ${Math.round((deadlineMs ?? 0) / 1000)} seconds; send smaller batches.`,
    );
  };
  const bytes = await readCapped(
    request.body,
    maxBytes,
    () => {
      throw tooLarge();
    },
    deadlineMs ? { ms: deadlineMs, late } : undefined,
  );
  if (encoding === "identity") return bytes;
  try {
    return new Uint8Array(await INFLATE[encoding](bytes, { maxOutputLength: maxBytes }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
    throw new AppError("VALIDATION", `The body is not valid ${encoding} data.`);
  }
}

export function formatBytes(n: number): string {
  return n >= 1048576 ? `${Math.round(n / 1048576)} MB` : `${Math.round(n / 1024)} KB`;
}
