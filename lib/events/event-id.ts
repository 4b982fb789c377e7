import { randomBytes } from "node:crypto";

// Event ids that sort by arrival: the receive time (ms, base 36), a counter within the batch, and a
// random tail. New rows land at the end of the primary-key index instead of at random places in it,
// which keeps bulk ingestion fast on both databases as the table grows.
export function eventIds(count: number, receivedAt: Date): string[] {
  const time = receivedAt.getTime().toString(36).padStart(9, "0");
  const tail = randomBytes(6).toString("hex");
  return Array.from({ length: count }, (_, i) => `${time}${i.toString(36).padStart(4, "0")}${tail}`);
}
