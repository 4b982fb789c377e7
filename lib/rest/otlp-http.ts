import "server-only";
import { logError } from "@/lib/log/logger";
import { AppError } from "@/lib/errors";
import { reshapeProblem } from "@/lib/http/responses";
import { MAX_BATCH } from "@/lib/events/schemas";
import { deliverPendingEmails } from "@/lib/notifications/deliver";
import { MAX_TRAFFIC_BATCH_BYTES, TRAFFIC_LIMITS } from "@/lib/rest/event-batch";
import { apiHandler } from "@/lib/rest/api-route";
import { ingestTraffic, NoRecords } from "@/lib/traffic/ingest-traffic";
import { exportResponse, statusBody, type OtlpEncoding } from "@/lib/traffic/otlp-protobuf";
import type { OtlpSignal } from "@/lib/traffic/otlp-records";
import { readOtlpBatch } from "@/lib/traffic/otlp-reader";
import { PROFILE_LABELS, type Profile } from "@/lib/traffic/schemas";

// OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp) at /api/v1/otlp/v1/logs and
// /api/v1/otlp/v1/traces, so an OpenTelemetry Collector's otlphttp exporter (or an SDK) pointed at
// https://HOST/api/v1/otlp with a traffic source's token sends as it is configured. Protobuf or JSON,
// gzip or not; the answer is in the request's encoding: an empty Export…ServiceResponse when every
// record was taken, partial success with the count of records rejected (the quarantined ones — a
// client must not send those again), and a google.rpc.Status for a refused request. A busy server
// answers 503 and a limited token 429, both with Retry-After, which exporters honour.

const CONTENT_TYPES: Record<OtlpEncoding, string> = { protobuf: "application/x-protobuf", json: "application/json" };

function encodingOf(request: Request): OtlpEncoding | null {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  return type === CONTENT_TYPES.protobuf ? "protobuf" : type === CONTENT_TYPES.json ? "json" : null;
}

// google.rpc.Code for each HTTP status ApiLedger answers with (the mapping of google/rpc/code.proto).
const RPC_CODES: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  408: 4, // DEADLINE_EXCEEDED
  409: 10, // ABORTED
  413: 3,
  415: 3,
  429: 8, // RESOURCE_EXHAUSTED
  503: 14, // UNAVAILABLE
  507: 8,
};

const signalNoun = (signal: OtlpSignal, n: number) =>
  signal === "logs" ? (n === 1 ? "log record" : "log records") : n === 1 ? "span" : "spans";

const notOtlp = (profile: Profile) =>
  `This traffic source is registered for the format “${PROFILE_LABELS[profile]}”. Register the Collector or SDK as a source with the OpenTelemetry format and send with its token, or send this source's records to /api/v1/traffic.`;

const exportAnswer = (signal: OtlpSignal, encoding: OtlpEncoding, rejected: number, message: string) =>
  new Response(exportResponse(signal, encoding, rejected, message), {
    status: 200,
    headers: { "Content-Type": CONTENT_TYPES[encoding] },
  });

/** The POST handler of one OTLP/HTTP signal. */
export function otlpExport(signal: OtlpSignal) {
  const handler = apiHandler(
    async ({ write, request, bytes }) => {
      const encoding = encodingOf(request);
      if (!encoding)
        throw new AppError(
          "UNSUPPORTED_MEDIA_TYPE",
          "Send OTLP as application/x-protobuf or application/json, gzip-compressed or not.",
        );
      const result = await ingestTraffic(
        write,
        async (_profile, _mapping, now) =>
          readOtlpBatch(signal, encoding, await bytes(), now, { ...TRAFFIC_LIMITS, maxRecords: MAX_BATCH }),
        (profile) => {
          if (profile !== "otlp") throw new AppError("FORBIDDEN", notOtlp(profile));
          return bytes();
        },
      ).catch((error: unknown) => {
        // An export of resources or scopes without records: nothing to store, and nothing to send again.
        if (error instanceof NoRecords) return null;
        throw error;
      });
      if (!result) return exportAnswer(signal, encoding, 0, "");
      if (result.alerts > 0)
        void deliverPendingEmails().catch((error) => logError("could not e-mail the alert", error));
      const rejected = result.quarantined;
      const message = rejected
        ? `${rejected} of ${result.received} ${signalNoun(signal, result.received)} could not be read; ApiLedger keeps them in the traffic source's quarantine, where an administrator sees why.`
        : "";
      return exportAnswer(signal, encoding, rejected, message);
    },
    { permission: "event:ingest", maxBodyBytes: MAX_TRAFFIC_BATCH_BYTES },
  );
  return async (request: Request, context: { params: Promise<Record<string, never>> }) => {
    const response = await handler(request, context);
    if (response.status < 400) return response;
    // OTLP's refusal: a google.rpc.Status in the request's encoding.
    const encoding = encodingOf(request) ?? "json";
    // OTLP exporters retry only 429, 502, 503 and 504 and drop the data on any other refusal: a fault of
    // ApiLedger's own (500) or a full disk (507) is answered 503, so the records wait in the exporter.
    const ours = response.status === 500 || response.status === 507;
    return reshapeProblem(
      response,
      CONTENT_TYPES[encoding],
      ({ status, detail, errors }) => {
        const listed = Object.entries(errors)
          .slice(0, 3)
          .map(([field, reasons]) => `${field}: ${reasons.join("; ")}`);
        return statusBody(encoding, RPC_CODES[status] ?? 13, [detail, ...listed].join(" "));
      },
      ours ? { status: 503, retryAfter: 30 } : undefined,
    );
  };
}
