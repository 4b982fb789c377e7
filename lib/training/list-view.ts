// The training sessions' list view (client-safe): newest session first, or by topic or trainer.
import { defineTable, parseTableParams, type SearchParamsRecord } from "@/lib/tables/table-params";

export const TRAINING_TABLE = defineTable({
  sorts: ["heldOn", "topic", "trainer", "durationMinutes"],
  defaultSort: "heldOn",
  defaultDesc: true,
});

export const parseTrainingView = (raw: SearchParamsRecord) => parseTableParams(raw, TRAINING_TABLE);
export type TrainingView = ReturnType<typeof parseTrainingView>;
