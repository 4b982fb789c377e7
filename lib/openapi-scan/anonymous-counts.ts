import { WRITE_METHODS, type ScanResult } from "@/lib/openapi-scan/scan";

/** The findings that name an operation anyone can call: a valid triage of one takes it out of the counts. */
export const ANONYMOUS_OPERATION_RULES: ReadonlySet<string> = new Set([
  "unauthenticated-write",
  "optional-auth-write",
  "unauthenticated-read-non-public",
]);

/**
 * Operations anyone can call (no security, or an empty {} alternative): what the rules engine weighs.
 * Those whose JSON pointer is in `accepted` (an approved, unexpired triage) are counted apart.
 */
export function anonymousCounts(result: ScanResult, accepted: ReadonlySet<string> = new Set()) {
  const anon = result.operations.filter((o) => o.security !== "required");
  const writes = anon.filter((o) => WRITE_METHODS.has(o.method.toLowerCase()));
  const reads = anon.filter((o) => o.method === "GET" || o.method === "HEAD");
  const isAccepted = (o: { pointer: string }) => accepted.has(o.pointer);
  return {
    anonWrites: writes.filter((o) => !isAccepted(o)).length,
    anonReads: reads.filter((o) => !isAccepted(o)).length,
    acceptedWrites: writes.filter(isAccepted).length,
    acceptedReads: reads.filter(isAccepted).length,
  };
}
