"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/next/action-result";
import { requireWriteContext } from "@/lib/auth/write-context";
import { createTeam } from "@/lib/teams/create-team";

export async function createTeamAction(input: unknown) {
  return runAction(async () => {
    const result = await createTeam(await requireWriteContext(), input);
    revalidatePath("/users");
    return result;
  });
}
