import "server-only";
import { AppError } from "@/lib/errors";

/** A batch body: a JSON array, {"events": […]}, or NDJSON (one JSON event per line). */
export function parseEventBatch(contentType: string, text: string): unknown[] {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-ndjson" || type === "application/jsonl" || type === "application/ndjson") {
    const events: unknown[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line) continue;
      try {
        events.push(JSON.parse(line));
      } catch {
        throw new AppError("VALIDATION", `Line ${i + 1} is not valid JSON; nothing was stored.`, { [`line ${i + 1}`]: ["Not valid JSON."] });
      }
    }
    return events;
  }
  if (type !== "application/json") throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send events as application/json (an array or {\"events\": […]}) or application/x-ndjson.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError("VALIDATION", `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(body)) return body;
  if (body && typeof body === "object" && Array.isArray((body as { events?: unknown }).events) && Object.keys(body).length === 1) return (body as { events: unknown[] }).events;
  throw new AppError("VALIDATION", "Send a JSON array of events or {\"events\": […]}.");
}
