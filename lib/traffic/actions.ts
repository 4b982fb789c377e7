"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { createTrafficSource } from "@/lib/traffic/create-source";
import { purgeQuarantine, retryQuarantine } from "@/lib/traffic/quarantine";
import { ZId } from "@/lib/input/validation";

/** Registers a source; its token's secret comes back once, in this response only. */
export async function createTrafficSourceAction(input: unknown) {
  return runAction(async () => {
    const result = await createTrafficSource(await requireWriteContext(), input);
    revalidatePath("/traffic");
    return result;
  });
}

/** Reads the source's quarantined records again; what reads now is stored and leaves the quarantine. */
export async function retryQuarantineAction(sourceId: unknown) {
  return runAction(async () => {
    const result = await retryQuarantine(await requireWriteContext(), ZId.parse(sourceId));
    revalidatePath("/traffic");
    return result;
  });
}

/** Deletes every record in the source's quarantine. */
export async function purgeQuarantineAction(sourceId: unknown) {
  return runAction(async () => {
    const result = await purgeQuarantine(await requireWriteContext(), ZId.parse(sourceId));
    revalidatePath("/traffic");
    return result;
  });
}
