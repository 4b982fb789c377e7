// A follow-up as the review and incident pages and REST show it (lib/follow-ups/queries.ts toFollowUpView),
// defined once: the type the pages receive and the schema the REST description gives (Review, Incident).
// Client-safe.
import { z } from "zod";
import { ZDayOrEmpty, ZInstant } from "@/lib/records/json-schema";

export const ZFollowUpGrant = z
  .object({
    decision: z.enum(["REVOKE", "CHANGE_SCOPE"]),
    client: z
      .object({ name: z.string(), scopes: z.array(z.string()), canModify: z.boolean() })
      .nullable()
      .meta({ description: "The live grant it changes when done; null once the grant is gone" }),
  })
  .meta({ description: "The revoke or change-scope decision of a review this follow-up carries out" });

export const ZFollowUpView = z.object({
  id: z.string(),
  version: z.int().meta({ description: "Send it back when updating" }),
  description: z.string(),
  ownerId: z.string().nullable(),
  owner: z.string().nullable().meta({ description: "The owner's name (unknown when removed), or null" }),
  dueOn: ZDayOrEmpty,
  status: z.enum(["OPEN", "DONE", "CANCELLED"]),
  overdue: z.boolean().meta({ description: "Open past its due date" }),
  grant: ZFollowUpGrant.nullable(),
  appliedChange: z.string().meta({ description: "The change made to the live grant when it was done, or empty" }),
  completedAt: ZInstant.nullable(),
  completedNote: z.string(),
});
export type FollowUpView = z.infer<typeof ZFollowUpView>;
export type FollowUpGrant = z.infer<typeof ZFollowUpGrant>;
