// Child process for the durability test: registers APIs as fast as it can until it is killed.
// Prints "ready" after the first committed write so the parent knows when to pull the plug.
import { createTeam } from "@/lib/teams/create-team";
import { createApi } from "@/lib/apis/create-api";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import type { Actor } from "@/lib/authz/policy";

const actor: Actor = { kind: "system", id: null, email: "loop@test" };
const { id: teamId } = await createTeam({ actor }, { name: `Loop ${process.pid}`, description: "" });
for (let i = 0; ; i++) {
  await createApi({ actor }, { ...EMPTY_API_INPUT, name: `Loop API ${i}`, purpose: "durability", teamId });
  if (i === 0) process.stdout.write("ready\n");
}
