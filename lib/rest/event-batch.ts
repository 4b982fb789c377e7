import "server-only";
import { AppError } from "@/lib/errors";
import { parseJsonBounded, parseNdjsonBounded, type Body } from "@/lib/rest/parse-body";
import { MAX_BATCH } from "@/lib/events/schemas";

/** The largest events body a route accepts: MAX_BATCH events of about 1 KB each. */
export const MAX_EVENT_BATCH_BYTES = 10 * 1024 * 1024;
// An event is a flat object: a few levels of nesting, a few dozen fields.
const EVENT_LIMITS = { maxDepth: 8, maxElements: MAX_BATCH * 40 };

/** A batch body: a JSON array, {"events": […]}, or NDJSON (one JSON event per line); bounded, large ones parsed off the event loop. */
export async function parseEventBatch(contentType: string, body: Body): Promise<unknown[]> {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-ndjson" || type === "application/jsonl" || type === "application/ndjson")
    return parseNdjsonBounded(body, EVENT_LIMITS);
  if (type !== "application/json")
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      'Send events as application/json (an array or {"events": […]}) or application/x-ndjson.',
    );
  const parsed = await parseJsonBounded(body, EVENT_LIMITS);
  if (Array.isArray(parsed)) return parsed;
  if (
    parsed &&
    typeof parsed === "object" &&
    Array.isArray((parsed as { events?: unknown }).events) &&
    Object.keys(parsed).length === 1
  )
    return (parsed as { events: unknown[] }).events;
  throw new AppError("VALIDATION", 'Send a JSON array of events or {"events": […]}.');
}
