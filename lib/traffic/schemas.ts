import { z } from "zod";
import { nameRule } from "@/lib/input/validation";
import { ZFieldMapping } from "@/lib/traffic/field-mapping";

// Client-safe (the form imports it): the profiles' names; lib/traffic/profiles.ts reads their records.
export const PROFILES = ["otlp", "nginx", "kong", "envoy", "aws", "traefik", "json"] as const;
export type Profile = (typeof PROFILES)[number];

/** What each profile reads, for the form and the sources list. */
export const PROFILE_LABELS: Record<Profile, string> = {
  nginx: "NGINX JSON access log",
  kong: "Kong http-log / file-log plugin",
  envoy: "Envoy JSON access log",
  aws: "AWS API Gateway access log (direct or Kinesis Data Firehose)",
  traefik: "Traefik JSON access log",
  otlp: "OpenTelemetry: OTLP/HTTP logs and server spans (protobuf or JSON)",
  json: "Any JSON or NDJSON log, read through a field mapping you define",
};

export const ZTrafficSourceInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Name the source (the gateway or shipper that sends).")
      .max(100, "At most 100 characters.")
      .superRefine(nameRule("Name")),
    profile: z.enum(PROFILES, { error: "Choose the format the source sends." }),
    lenient: z.boolean(),
    teamId: z.string().min(1, "Choose the team whose APIs the source reports on.").max(64),
    apiId: z.string().max(64),
    /** Where the records hold each field: for the "any JSON" format only (required there). */
    mapping: ZFieldMapping.nullable().optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.profile === "json" && !input.mapping)
      ctx.addIssue({ code: "custom", path: ["mapping"], message: "Say where the records hold each field." });
  });
export type TTrafficSourceInput = z.infer<typeof ZTrafficSourceInput>;

const count = (description: string) => z.int().min(0).meta({ description });

/** What a batch from a traffic source came to (POST /api/v1/traffic); the counts add up to `received`. */
export const ZTrafficResult = z.object({
  received: count("Records in the batch"),
  stored: count("Records stored as authentication events"),
  quarantined: count("Records that could not be read, kept with the reason in the source's quarantine"),
  unrouted: count("Readable calls to no API of the source's team (counted, not stored)"),
  skipped: count("Records the profile ignores by design (client spans)"),
  duplicates: count(
    "Records the source sent before (a shipper's retry), recognised by the source's request id or the record's content: not stored twice",
  ),
  batchId: z.string(),
  alerts: count("Failed-authentication alerts the batch raised"),
});
export type TTrafficResult = z.infer<typeof ZTrafficResult>;

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$|^[0-9a-f:.]+$/;

/** A routing rule: which of the team's APIs a call to this host, path prefix or gateway route is for. */
export const ZTrafficRouteInput = z
  .object({
    teamId: z.string().min(1, "Choose the team whose sources the rule applies to.").max(64),
    apiId: z.string().min(1, "Choose the API the calls are for.").max(64),
    host: z
      .string()
      .trim()
      .toLowerCase()
      .max(255, "At most 255 characters.")
      .refine(
        (h) => h === "" || HOST.test(h),
        "A host name or address, without scheme or port (orders.internal.example).",
      ),
    pathPrefix: z
      .string()
      .trim()
      .max(200, "At most 200 characters.")
      .refine((p) => p === "" || /^\/[^\s?#]*$/.test(p), "A path starting with /, without a query (/orders)."),
    gatewayRoute: z.string().trim().max(200, "At most 200 characters.").superRefine(nameRule("The gateway route")),
  })
  .strict()
  .refine((r) => r.host || r.pathPrefix || r.gatewayRoute, {
    message: "Give a host, a path prefix or a gateway route: a rule with none would take every call.",
    path: ["host"],
  });
export type TTrafficRouteInput = z.infer<typeof ZTrafficRouteInput>;

/** Ignoring a discovered API: why (kept in the audit log and shown beside it). */
export const ZIgnoreDiscoveredInput = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, "Say why it is ignored (a health check, a test host…).")
      .max(500, "At most 500 characters."),
  })
  .strict();
