import "server-only";
import type { Tx } from "@/lib/db/client";
import { toDate } from "@/lib/input/date-input";
import { AppError } from "@/lib/errors";
import type { TTrainingInput } from "@/lib/training/schemas";

/** Checks the ids a session refers to (attendees are active users, materials an existing document). */
export async function checkSessionReferences(tx: Tx, input: TTrainingInput): Promise<string[]> {
  const attendeeIds = [...new Set(input.attendeeIds)];
  const errors: Record<string, string[]> = {};
  if (
    attendeeIds.length &&
    (await tx.user.count({ where: { id: { in: attendeeIds }, isActive: true } })) !== attendeeIds.length
  )
    errors.attendeeIds = ["Choose attendees from the list of active users."];
  if (input.materialsId && !(await tx.document.count({ where: { id: input.materialsId } })))
    errors.materialsId = ["Choose materials from the document library."];
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "Some fields need attention.", errors);
  return attendeeIds;
}

export function sessionColumns(input: TTrainingInput) {
  return {
    topic: input.topic,
    heldOn: toDate(input.heldOn)!,
    trainer: input.trainer,
    durationMinutes: input.durationMinutes,
    isApiSecurity: input.isApiSecurity,
    notes: input.notes,
    materialsId: input.materialsId || null,
  };
}
