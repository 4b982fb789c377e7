import { z } from "zod";
import { nameRule } from "@/lib/input/validation";

// Client-safe (the form imports it): the profiles' names; lib/traffic/profiles.ts reads their records.
export const PROFILES = ["otlp", "nginx", "kong", "envoy", "aws", "traefik"] as const;
export type Profile = (typeof PROFILES)[number];

/** What each profile reads, for the form and the sources list. */
export const PROFILE_LABELS: Record<Profile, string> = {
  nginx: "NGINX JSON access log",
  kong: "Kong http-log / file-log plugin",
  envoy: "Envoy JSON access log",
  aws: "AWS API Gateway access log (direct or Kinesis Data Firehose)",
  traefik: "Traefik JSON access log",
  otlp: "OpenTelemetry: OTLP/HTTP logs and server spans (protobuf or JSON)",
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
  })
  .strict();
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
