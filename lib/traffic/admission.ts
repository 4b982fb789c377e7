import "server-only";
import { AppError } from "@/lib/errors";

// Back-pressure for gateways and log shippers. Batches are stored one at a time (the audit chain's
// write lock), so a batch beyond the few in hand would only wait in this process's memory — up to
// 32 MB each — while its sender's timeout runs. Past the limit a batch is refused at once with 503
// and Retry-After, before its body is read; the OpenTelemetry Collector, Fluent Bit, Vector and the
// OpenTelemetry SDKs all retry a 503 after the time it names, so nothing is lost, only delayed.

/** Batches this process takes in at once: APILEDGER_TRAFFIC_CONCURRENCY, default 4. */
export function trafficConcurrency(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.APILEDGER_TRAFFIC_CONCURRENCY ?? 4);
  return Number.isInteger(n) && n >= 1 ? n : 4;
}

let inFlight = 0;

/** Runs `work` in one of the process's slots for traffic batches, or refuses (503, Retry-After) when all are taken. */
export async function withTrafficSlot<T>(work: () => Promise<T>): Promise<T> {
  if (inFlight >= trafficConcurrency())
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "ApiLedger is storing other batches; send this one again after Retry-After.",
      {},
      { retryAfter: 1 },
    );
  inFlight++;
  try {
    return await work();
  } finally {
    inFlight--;
  }
}
