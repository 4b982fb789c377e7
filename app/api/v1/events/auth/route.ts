import { apiWrite } from "@/lib/api/api-route";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { parseEventBatch } from "@/lib/events/read-batch";

// Gateways and services send authentication events here, up to 10,000 per request.
export const POST = apiWrite(
  async ({ write, request, text }) => ingestAuthEvents(write, parseEventBatch(request.headers.get("content-type") ?? "", await text())),
  (result) => Response.json(result, { status: 201 }),
  { maxBodyBytes: 20 * 1024 * 1024 },
);
