import { z } from "zod";

export const ZAcknowledge = z
  .object({ note: z.string().trim().min(1, "Say what was found or done.").max(2000, "At most 2000 characters.") })
  .strict();
export const ZAlertRule = z
  .object({
    threshold: z
      .number({ error: "Give a number of failures." })
      .int("A whole number.")
      .min(1, "At least 1.")
      .max(100000, "At most 100,000."),
    windowMinutes: z
      .number({ error: "Give a number of minutes." })
      .int("Whole minutes.")
      .min(1, "At least 1 minute.")
      .max(10080, "At most a week (10080 minutes)."),
  })
  .strict();
