// A record a reader could not make sense of (a line that is not JSON, a Firehose record without data),
// kept in its batch so that it lands in the quarantine with the reason. It is a Map because JSON.parse
// never returns one: no record a sender writes can pose as unreadable and choose the reason shown, and a
// structured clone (the parse worker's answer) keeps it a Map.

export type Unreadable = Map<"reason" | "text", string>;

/** An unreadable record: why, and the text as it arrived when there was text. */
export function unreadable(reason: string, text?: string): Unreadable {
  const marker: Unreadable = new Map([["reason", reason]]);
  if (text !== undefined) marker.set("text", text);
  return marker;
}

/** The reason and text of an unreadable record, or null for any other value. */
export function unreadableOf(value: unknown): { reason: string; text?: string } | null {
  if (!(value instanceof Map)) return null;
  const text = value.get("text");
  return { reason: String(value.get("reason") ?? "unreadable"), ...(typeof text === "string" ? { text } : {}) };
}
