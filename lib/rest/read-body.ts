import "server-only";
import { AppError } from "@/lib/errors";
import { readCapped } from "@/lib/input/read-capped";

/** Reads a request body's bytes, refusing it (413) as soon as it passes `maxBytes`, declared or not. */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "");
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than the limit of ${formatBytes(maxBytes)}.`);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  return readCapped(request.body, maxBytes, () => {
    throw tooLarge();
  });
}

export const NOT_UTF8 = "The request body is not UTF-8 text.";

/** A body's bytes as text; bytes that are not UTF-8 are refused (400), never replaced. */
export function decodeBody(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("VALIDATION", NOT_UTF8);
  }
}

export function formatBytes(n: number): string {
  return n >= 1048576 ? `${Math.round(n / 1048576)} MB` : `${Math.round(n / 1024)} KB`;
}
