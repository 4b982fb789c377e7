import { isIP } from "node:net";
import { z } from "zod";
import { OUTCOMES } from "@/lib/events/outcomes";

export const MAX_BATCH = 10_000;

/** One event as a gateway sends it. Unknown fields are refused so a typo is not silently dropped. */
export const ZAuthEvent = z
  .object({
    time: z.iso.datetime({
      offset: true,
      error: "time must be an ISO 8601 date-time with a zone, e.g. 2026-11-22T09:30:00Z.",
    }),
    api: z
      .string({ error: "api (the API's id in ApiLedger) is required." })
      .min(1, "api is required.")
      .max(64, "api is an id of at most 64 characters."),
    clientId: z.string().max(200, "clientId: at most 200 characters.").default(""),
    principal: z.string().max(200, "principal: at most 200 characters.").default(""),
    outcome: z.enum(OUTCOMES, { error: `outcome must be one of ${OUTCOMES.join(", ")}.` }),
    sourceIp: z
      .string()
      .max(45)
      .refine((v) => v === "" || isIP(v) !== 0, "sourceIp must be an IPv4 or IPv6 address.")
      .default(""),
    method: z.string().max(16, "method: at most 16 characters.").default(""),
    route: z.string().max(500, "route: at most 500 characters.").default(""),
  })
  .strict();
export type TAuthEvent = z.infer<typeof ZAuthEvent>;
