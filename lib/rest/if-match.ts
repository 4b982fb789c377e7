import "server-only";
import { AppError } from "@/lib/errors";

/** The version a client read, from `If-Match: "<version>"` (the ETag of GET); required on updates. */
export function expectedVersion(request: Request): number {
  const header = request.headers.get("if-match");
  if (header === null)
    throw new AppError("PRECONDITION_FAILED", 'Send If-Match: "<version>" with the ETag of the record as you read it.');
  const value = header.trim();
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  if (match) return Number(match[1]);
  // Any other entity tag (RFC 9110: a quoted string, weak or strong, or a list of them) is well formed
  // but matches no version this server ever sent: the precondition fails, as for a stale version.
  if (/^(?:(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"\s*,\s*)*(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/.test(value))
    throw new AppError(
      "PRECONDITION_FAILED",
      "The record changed since that ETag (or it is not one of its ETags). Read it again.",
    );
  // "*" (any version) would skip the check that keeps a stale copy from overwriting a newer one.
  throw new AppError("VALIDATION", 'If-Match must be the ETag from GET, e.g. "3".');
}

/** Runs an update; a version conflict (the client's copy is stale) becomes 412 instead of 409. */
export async function staleAs412<T>(update: () => Promise<T>): Promise<T> {
  try {
    return await update();
  } catch (error) {
    if (error instanceof AppError && error.isStaleVersion) throw new AppError("PRECONDITION_FAILED", error.message);
    throw error;
  }
}
