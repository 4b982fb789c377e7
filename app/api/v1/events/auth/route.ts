import { apiWrite } from "@/lib/api/api-route";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { parseEventBatch } from "@/lib/events/read-batch";
import { deliverPendingEmails } from "@/lib/notifications/deliver";

// Gateways and services send authentication events here, up to 10,000 per request.
export const POST = apiWrite(
  async ({ write, request, text }) => {
    const result = await ingestAuthEvents(write, parseEventBatch(request.headers.get("content-type") ?? "", await text()));
    // A failed-authentication alert is e-mailed now, not at the next hourly delivery run.
    if (result.alerts > 0) void deliverPendingEmails().catch((error) => console.error("Could not e-mail the alert", error));
    return result;
  },
  (result) => Response.json(result, { status: 201 }),
  { maxBodyBytes: 20 * 1024 * 1024 },
);
