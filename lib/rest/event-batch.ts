import "server-only";
import { AppError } from "@/lib/errors";
import { parseJsonBounded, parseJsonOrLines, parseNdjsonBounded, type Body } from "@/lib/input/parse-body";
import { MAX_BATCH } from "@/lib/events/schemas";

/** The largest events body a route accepts: MAX_BATCH events of about 1 KB each. */
export const MAX_EVENT_BATCH_BYTES = 10 * 1024 * 1024;
// An event is a flat object: a few levels of nesting, a few dozen fields.
const EVENT_LIMITS = { maxDepth: 8, maxElements: MAX_BATCH * 40 };
const NDJSON_TYPES = ["application/x-ndjson", "application/jsonl", "application/ndjson"];

/** A batch body: a JSON array, {"events": […]}, or NDJSON (one JSON event per line); bounded, large ones parsed off the event loop. */
export async function parseEventBatch(contentType: string, body: Body): Promise<unknown[]> {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (NDJSON_TYPES.includes(type)) return parseNdjsonBounded(body, EVENT_LIMITS);
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

/** The largest body a traffic source may send (inflated): 10,000 OTLP/JSON records of about 3 KB. */
export const MAX_TRAFFIC_BATCH_BYTES = 32 * 1024 * 1024;
// OTLP nests records four levels deep and gives each attribute three elements ({key, value: {…}}).
export const TRAFFIC_LIMITS = { maxDepth: 32, maxElements: MAX_BATCH * 200 };

/**
 * A traffic source's body as it sent it: JSON (a record, an array of records, an OTLP request, a
 * Firehose envelope) or NDJSON, where a line that is not JSON becomes an unreadable record for the
 * source's quarantine rather than refusing its neighbours.
 */
export async function parseTrafficBatch(contentType: string, body: Body): Promise<unknown> {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (NDJSON_TYPES.includes(type)) return parseNdjsonBounded(body, TRAFFIC_LIMITS, "keep");
  // Fluent Bit before 3.0 sends its json_lines format as application/json: one record per line.
  if (type === "application/json") return parseJsonOrLines(body, TRAFFIC_LIMITS);
  throw new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    "Send records as application/json or application/x-ndjson (one record per line), gzip-compressed or not.",
  );
}
