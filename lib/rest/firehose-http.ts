import "server-only";
import { logError } from "@/lib/log/logger";
import { AppError } from "@/lib/errors";
import { reshapeProblem } from "@/lib/http/responses";
import { deliverPendingEmails } from "@/lib/notifications/deliver";
import { MAX_TRAFFIC_BATCH_BYTES, parseTrafficBatch } from "@/lib/rest/event-batch";
import { apiHandler } from "@/lib/rest/api-route";
import { ingestTraffic } from "@/lib/traffic/ingest-traffic";
import { recordsOf } from "@/lib/traffic/profiles";
import { PROFILE_LABELS } from "@/lib/traffic/schemas";

// Amazon Data Firehose's HTTP endpoint delivery
// (https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html), for API Gateway
// access logs a delivery stream carries: the stream sends the access key it is configured with (the
// traffic source's token) in X-Amz-Firehose-Access-Key, and takes a delivery as done only when the answer
// is 200 with JSON naming the same requestId and a timestamp. Anything else it retries, then backs up.

const REQUEST_ID = "x-amz-firehose-request-id";
const ACCESS_KEY = "x-amz-firehose-access-key";

/** The request with its Firehose access key as the bearer token the REST plumbing authenticates. */
function withAccessKey(request: Request): Request {
  const key = request.headers.get(ACCESS_KEY);
  if (!key || request.headers.has("authorization")) return request;
  const headers = new Headers(request.headers);
  headers.set("authorization", `Bearer ${key}`);
  return new Request(request, { headers });
}

/** Firehose's answer: the request's id, the time in milliseconds, and on a refusal why. */
const body = (request: Request, errorMessage?: string) => ({
  requestId: (request.headers.get(REQUEST_ID) ?? "").slice(0, 200),
  timestamp: Date.now(),
  ...(errorMessage !== undefined ? { errorMessage } : {}),
});

const handler = apiHandler(
  async ({ write, request, bytes }) => {
    const result = await ingestTraffic(
      write,
      async (profile, mapping) =>
        recordsOf(profile, await parseTrafficBatch(request.headers.get("content-type") ?? "", await bytes()), mapping),
      (profile) => {
        if (profile !== "aws")
          throw new AppError(
            "FORBIDDEN",
            `This traffic source is registered for the format “${PROFILE_LABELS[profile]}”; a Firehose delivery stream sends API Gateway access logs (register it with that format).`,
          );
        return bytes();
      },
    );
    if (result.alerts > 0) void deliverPendingEmails().catch((error) => logError("could not e-mail the alert", error));
    return Response.json(body(request));
  },
  { permission: "event:ingest", maxBodyBytes: MAX_TRAFFIC_BATCH_BYTES },
);

/** POST /api/v1/traffic/firehose: a delivery stream's batch, answered as Firehose expects. */
export async function firehoseDelivery(request: Request, context: { params: Promise<Record<string, never>> }) {
  const response = await handler(withAccessKey(request), context);
  if (response.status < 400) return response;
  // A refusal in Firehose's form (its console and error logs show errorMessage).
  return reshapeProblem(response, "application/json", ({ detail }) => JSON.stringify(body(request, detail)));
}
