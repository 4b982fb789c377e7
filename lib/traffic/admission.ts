import "server-only";
import { AppError } from "@/lib/errors";

// Back-pressure for gateways and log shippers, in two stages. Batches are stored one at a time (the
// audit chain's write lock), so a batch beyond the few in hand would only wait in this process's memory
// — up to 32 MB each — while its sender's timeout runs.
//
// 1. Admitted: at most twice APILEDGER_TRAFFIC_CONCURRENCY batches per process are being received,
//    waiting or stored at once, and one sender (one source's token) holds at most half of those. Past
//    either bound the answer is 503 with Retry-After before a byte of the body is read; the OpenTelemetry
//    Collector, Fluent Bit, Vector and the OpenTelemetry SDKs all retry a 503 after the time it names.
// 2. Stored: only once its whole body has arrived (within APILEDGER_BODY_TIMEOUT_SECONDS, else 408) does
//    a batch wait for one of APILEDGER_TRAFFIC_CONCURRENCY slots to parse and store it. A sender whose
//    upload trickles therefore holds only its own share of stage 1, never a slot the others need.

/** Batches this process parses and stores at once: APILEDGER_TRAFFIC_CONCURRENCY, default 4. */
export function trafficConcurrency(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.APILEDGER_TRAFFIC_CONCURRENCY ?? 4);
  return Number.isInteger(n) && n >= 1 ? n : 4;
}

let admitted = 0;
const perSender = new Map<string, number>();
let storing = 0;
const waiting: (() => void)[] = [];

const busy = (message: string) => new AppError("SERVICE_UNAVAILABLE", message, {}, { retryAfter: 1 });

async function storingSlot(limit: number): Promise<() => void> {
  if (storing >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  else storing++;
  // The slot passes straight to the next waiter, so a batch that arrives later cannot overtake it.
  return () => {
    const next = waiting.shift();
    if (next) next();
    else storing--;
  };
}

/**
 * Receives a traffic batch's body (`body`, bounded in size and time by the REST plumbing) and then runs
 * `work` in one of the process's storing slots; refuses with 503 and Retry-After when the process, or
 * this sender, already has its share of batches in hand.
 */
export async function withTrafficSlot<T>(
  sender: string,
  body: () => Promise<unknown>,
  work: () => Promise<T>,
): Promise<T> {
  const concurrency = trafficConcurrency();
  const mine = perSender.get(sender) ?? 0;
  if (admitted >= 2 * concurrency)
    throw busy("ApiLedger is receiving other batches; send this one again after Retry-After.");
  if (mine >= concurrency)
    throw busy(
      `This source already has ${mine} batches in progress; send this one again after Retry-After, or send batches one after another.`,
    );
  admitted++;
  perSender.set(sender, mine + 1);
  try {
    await body();
    const release = await storingSlot(concurrency);
    try {
      return await work();
    } finally {
      release();
    }
  } finally {
    admitted--;
    const left = (perSender.get(sender) ?? 1) - 1;
    if (left > 0) perSender.set(sender, left);
    else perSender.delete(sender);
  }
}
