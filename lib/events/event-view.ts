// Authentication events as REST answers with them, defined once: the types the queries and the ingest
// return and the schemas the REST description gives (AuthEvent, the page, the ingest's answer). Client-safe.
import { z } from "zod";
import { OUTCOMES } from "@/lib/events/outcomes";
import { ZInstant } from "@/lib/records/json-schema";

export const ZAuthEventView = z.object({
  id: z.string(),
  time: ZInstant,
  clientId: z.string(),
  principal: z.string(),
  outcome: z.enum(OUTCOMES),
  sourceIp: z.string(),
  method: z.string().meta({ description: "The HTTP method called, or empty" }),
  route: z.string().meta({ description: "The route called, or empty" }),
});

export const ZIngestResult = z.object({
  accepted: z.int().min(0).meta({ description: "How many events were stored (the whole batch)" }),
  batchId: z.string(),
  alerts: z.int().min(0).meta({ description: "Failed-authentication alerts the batch raised" }),
});

export type AuthEventView = z.infer<typeof ZAuthEventView>;
/** A page of events, newest first; `nextCursor` goes back as `cursor` for the next (null: the last page). */
export type AuthEventPage = { data: AuthEventView[]; nextCursor: string | null };
export type IngestResult = z.infer<typeof ZIngestResult>;
