import "server-only";
import { AppError } from "@/lib/errors";
import { readCapped } from "@/lib/input/read-capped";

/** Reads a request body as text, refusing it (413) as soon as it passes `maxBytes`, declared or not. */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than the limit of ${formatBytes(maxBytes)}.`);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const bytes = await readCapped(request.body, maxBytes, () => {
    throw tooLarge();
  });
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("VALIDATION", "The request body is not UTF-8 text.");
  }
}

export function formatBytes(n: number): string {
  return n >= 1048576 ? `${Math.round(n / 1048576)} MB` : `${Math.round(n / 1024)} KB`;
}
