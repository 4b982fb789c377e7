import "server-only";
import { AppError } from "@/lib/errors";

/** The version a client read, from `If-Match: "<version>"` (the ETag of GET); required on updates. */
export function expectedVersion(request: Request): number {
  const header = request.headers.get("if-match");
  if (header === null)
    throw new AppError("PRECONDITION_FAILED", 'Send If-Match: "<version>" with the ETag of the record as you read it.');
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) throw new AppError("VALIDATION", 'If-Match must be the ETag from GET, e.g. "3".');
  return Number(match[1]);
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
