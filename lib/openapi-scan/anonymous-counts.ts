import { WRITE_METHODS, type ScanResult } from "@/lib/openapi-scan/scan";

/** Operations anyone can call (no security, or an empty {} alternative): what the rules engine weighs. */
export function anonymousCounts(result: ScanResult): { anonWrites: number; anonReads: number } {
  const anon = result.operations.filter((o) => o.security !== "required");
  return {
    anonWrites: anon.filter((o) => WRITE_METHODS.has(o.method.toLowerCase())).length,
    anonReads: anon.filter((o) => o.method === "GET" || o.method === "HEAD").length,
  };
}
