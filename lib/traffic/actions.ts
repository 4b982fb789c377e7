"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { createTrafficSource } from "@/lib/traffic/create-source";

/** Registers a source; its token's secret comes back once, in this response only. */
export async function createTrafficSourceAction(input: unknown) {
  return runAction(async () => {
    const result = await createTrafficSource(await requireWriteContext(), input);
    revalidatePath("/traffic");
    return result;
  });
}
