import { logError } from "@/lib/log/logger";
import { apiWrite } from "@/lib/rest/api-route";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { MAX_EVENT_BATCH_BYTES, parseEventBatch } from "@/lib/rest/event-batch";
import { deliverPendingEmails } from "@/lib/notifications/deliver";

// Gateways and services send authentication events here, up to 10,000 per request.
export const POST = apiWrite(
  async ({ write, request, bytes }) => {
    const result = await ingestAuthEvents(
      write,
      await parseEventBatch(request.headers.get("content-type") ?? "", await bytes()),
    );
    // A failed-authentication alert is e-mailed now, not at the next hourly delivery run.
    if (result.alerts > 0) void deliverPendingEmails().catch((error) => logError("could not e-mail the alert", error));
    return result;
  },
  (result) => Response.json(result, { status: 201 }),
  { permission: "event:ingest", maxBodyBytes: MAX_EVENT_BATCH_BYTES },
);
