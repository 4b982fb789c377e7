import { randomBytes } from "node:crypto";

/*
 * Event ids sort by arrival and say where they came from: the receive time (ms, base 36, 9 characters),
 * a counter within the batch (4), and a random tail shared by the batch (12). New rows land at the end
 * of the primary-key index instead of at random places in it, which keeps bulk ingestion fast on both
 * databases as the table grows; and the receive time and batch need not be stored in each row.
 * A batch's id is its events' id without the counter, so an event leads to the audit entry that
 * recorded its batch (targetId) and back.
 */
const EVENT_ID = /^([0-9a-z]{9})[0-9a-z]{4}([0-9a-f]{12})$/;

export function newEventBatch(count: number, receivedAt: Date): { batchId: string; ids: string[] } {
  const time = receivedAt.getTime().toString(36).padStart(9, "0");
  const tail = randomBytes(6).toString("hex");
  return {
    batchId: `${time}${tail}`,
    ids: Array.from({ length: count }, (_, i) => `${time}${i.toString(36).padStart(4, "0")}${tail}`),
  };
}

/** The batch an event arrived in and when it was received; null for an id not made by newEventBatch. */
export function eventOrigin(id: string): { batchId: string; receivedAt: Date } | null {
  const match = EVENT_ID.exec(id);
  return match ? { batchId: `${match[1]}${match[2]}`, receivedAt: new Date(parseInt(match[1]!, 36)) } : null;
}

/** The smallest id an event received at or after `t` can have: a primary-key range for "received since". */
export function firstEventIdAt(t: Date): string {
  return Math.max(0, t.getTime()).toString(36).padStart(9, "0");
}
