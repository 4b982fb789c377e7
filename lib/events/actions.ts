"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { acknowledgeAlert, setAlertRule } from "@/lib/events/manage-alerts";
import { ZId } from "@/lib/input/validation";

export async function acknowledgeAlertAction(alertId: unknown, input: unknown) {
  return runAction(async () => {
    await acknowledgeAlert(await requireWriteContext(), ZId.parse(alertId), input);
    revalidatePath("/");
    return null;
  });
}

export async function setAlertRuleAction(apiId: unknown, input: unknown) {
  return runAction(async () => {
    const id = ZId.parse(apiId);
    await setAlertRule(await requireWriteContext(), id, input);
    revalidatePath(`/apis/${id}/events`);
    return null;
  });
}
