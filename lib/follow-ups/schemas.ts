import { z } from "zod";
import { ZOptionalDate } from "@/lib/input/date-input";
import { ZGrantScope } from "@/lib/clients/schemas";

/** A follow-up on a review or an incident: what, who and by when. */
export const ZNewFollowUp = z
  .object({
    description: z.string().trim().min(1, "Say what has to be done.").max(1000, "At most 1000 characters."),
    ownerId: z.string().trim().min(1, "Choose who will do it.").max(64),
    dueOn: ZOptionalDate("Due date").refine((v) => v !== "", "Give a due date."),
  })
  .strict();

/**
 * Its owner's progress: done or cancelled with a note saying what was done or why (the evidence of it), or
 * reopened. Completing a change-scope follow-up carries the grant's new scope, applied in the same write.
 */
export const ZFollowUpUpdate = z
  .object({
    status: z.enum(["OPEN", "DONE", "CANCELLED"], { error: "Choose a valid status." }),
    note: z.string().trim().max(2000, "At most 2000 characters."),
    grant: ZGrantScope.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.status !== "OPEN" && !v.note)
      ctx.addIssue({
        code: "custom",
        path: ["note"],
        message: v.status === "DONE" ? "Say what was done." : "Say why it is cancelled.",
      });
  });
export type TFollowUpUpdate = z.infer<typeof ZFollowUpUpdate>;
