import { z } from "zod";
import { ZDate, todayInput } from "@/lib/input/date-input";
import { nameRule } from "@/lib/input/validation";

export const ZTrainingInput = z
  .object({
    topic: z
      .string()
      .trim()
      .min(1, "Topic is required.")
      .max(200, "At most 200 characters.")
      .superRefine(nameRule("Topic")),
    heldOn: ZDate("Date").refine(
      (v) => v <= todayInput(),
      "Record a session once it has been held (the date cannot be in the future).",
    ),
    trainer: z.string().trim().min(1, "Say who gave the training.").max(200, "At most 200 characters."),
    durationMinutes: z
      .number({ error: "Give the duration in minutes." })
      .int("Give whole minutes.")
      .min(5, "At least 5 minutes.")
      .max(1440, "At most 1440 minutes (one day)."),
    isApiSecurity: z.boolean(),
    notes: z.string().trim().max(5000, "At most 5000 characters."),
    materialsId: z.string().max(64),
    attendeeIds: z.array(z.string().min(1).max(64)).max(5000, "At most 5000 attendees."),
  })
  .strict();
export type TTrainingInput = z.infer<typeof ZTrainingInput>;

export const EMPTY_TRAINING: TTrainingInput = {
  topic: "",
  heldOn: "",
  trainer: "",
  durationMinutes: 60,
  isApiSecurity: true,
  notes: "",
  materialsId: "",
  attendeeIds: [],
};

/** A person counts as trained when they attended an API-security session within this many days. */
export const TRAINING_VALID_DAYS = 365;
