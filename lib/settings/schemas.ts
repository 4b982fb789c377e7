import { z } from "zod";

// Installation settings with their defaults. Stored as strings in AppSetting; parsed here.
export const ZSettings = z
  .object({
    rotationDays: z.coerce.number({ error: "Enter a number of days." }).int("Use whole days.").min(1, "At least 1 day.").max(3650, "At most 3650 days."),
    notSeenDays: z.coerce.number({ error: "Enter a number of days." }).int("Use whole days.").min(1, "At least 1 day.").max(3650, "At most 3650 days."),
  })
  .strict();
export type TSettings = z.infer<typeof ZSettings>;

export const DEFAULT_SETTINGS: TSettings = { rotationDays: 90, notSeenDays: 90 };
