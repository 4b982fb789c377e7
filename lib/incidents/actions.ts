"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { reportIncident } from "@/lib/incidents/report-incident";
import { updateIncident } from "@/lib/incidents/update-incident";
import { advanceIncident } from "@/lib/incidents/advance-incident";
import { addIncidentEntry } from "@/lib/incidents/add-entry";
import { addIncidentFollowUp } from "@/lib/incidents/add-incident-follow-up";
import { ZId } from "@/lib/input/validation";

export async function reportIncidentAction(input: unknown) {
  return runAction(async () => {
    const result = await reportIncident(await requireWriteContext(), input);
    revalidatePath("/incidents");
    return result;
  });
}

export async function updateIncidentAction(id: unknown, version: unknown, input: unknown) {
  return runAction(async () => {
    await updateIncident(await requireWriteContext(), ZId.parse(id), z.number().int().parse(version), input);
    return { id: String(id) };
  });
}

export async function advanceIncidentAction(id: unknown, version: unknown, input: unknown) {
  return runAction(async () =>
    advanceIncident(await requireWriteContext(), ZId.parse(id), z.number().int().parse(version), input),
  );
}

export async function addIncidentEntryAction(id: unknown, input: unknown) {
  return runAction(async () => {
    await addIncidentEntry(await requireWriteContext(), ZId.parse(id), input);
    return null;
  });
}

export async function addIncidentFollowUpAction(id: unknown, input: unknown) {
  return runAction(async () => addIncidentFollowUp(await requireWriteContext(), ZId.parse(id), input));
}
