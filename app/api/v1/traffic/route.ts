import { logError } from "@/lib/log/logger";
import { apiWrite } from "@/lib/rest/api-route";
import { ingestTraffic } from "@/lib/traffic/ingest-traffic";
import { recordsOf } from "@/lib/traffic/profiles";
import { MAX_TRAFFIC_BATCH_BYTES, parseTrafficBatch } from "@/lib/rest/event-batch";
import { deliverPendingEmails } from "@/lib/notifications/deliver";

// Gateways and log shippers send their own access-log records here, with their traffic source's token.
export const POST = apiWrite(
  async ({ write, request, bytes }) => {
    const result = await ingestTraffic(
      write,
      async (profile, mapping) =>
        recordsOf(profile, await parseTrafficBatch(request.headers.get("content-type") ?? "", await bytes()), mapping),
      bytes,
    );
    if (result.alerts > 0) void deliverPendingEmails().catch((error) => logError("could not e-mail the alert", error));
    return result;
  },
  (result) => Response.json(result, { status: 200 }),
  { permission: "event:ingest", maxBodyBytes: MAX_TRAFFIC_BATCH_BYTES },
);
