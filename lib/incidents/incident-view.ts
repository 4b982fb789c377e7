// One incident as the page and REST show it (lib/incidents/queries.ts getIncident): the record's fields
// (lib/incidents/record.ts) with its timeline and follow-ups. The type the route answers with and the
// schema the REST description gives (Incident) are both from here. Client-safe.
import { z } from "zod";
import { closedObject, jsonSchemaOfZod, ZInstant } from "@/lib/records/json-schema";
import { ZFollowUpView, type FollowUpView } from "@/lib/follow-ups/follow-up-view";
import { incidentRecordSchema, type IncidentRecordView } from "@/lib/incidents/record";

/** What a timeline entry is: written by a handler (note, notification), by a step, or after closing. */
export const ENTRY_KINDS = ["note", "notification", "status", "addendum"] as const;

export const ZIncidentEntryView = z.object({
  id: z.string(),
  at: ZInstant,
  kind: z.enum(ENTRY_KINDS),
  recipient: z.string().meta({ description: "Who was notified (notifications); empty otherwise" }),
  text: z.string(),
  author: z.string().meta({ description: "The author's name, or system" }),
});
export type IncidentEntryView = z.infer<typeof ZIncidentEntryView>;

export type IncidentDetail = IncidentRecordView & { entries: IncidentEntryView[]; followUps: FollowUpView[] };

/** The JSON Schema of IncidentDetail (REST's Incident). */
export function incidentDetailSchema() {
  const record = incidentRecordSchema();
  return closedObject({
    ...record.properties,
    entries: { type: "array", items: jsonSchemaOfZod(ZIncidentEntryView) },
    followUps: { type: "array", items: jsonSchemaOfZod(ZFollowUpView) },
  });
}
