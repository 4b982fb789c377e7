// A person as the app sees them once signed in (a fresh session: the recent sign-in some writes ask for),
// for tests that call the app's functions directly.
import { db } from "@/lib/db/client";
import type { Actor, Role } from "@/lib/authz/policy";

export async function signedInActor(email: string): Promise<Actor> {
  const u = await db.user.findUniqueOrThrow({ where: { email } });
  return {
    kind: "user",
    id: u.id,
    email: u.email,
    role: u.role as Role,
    teamId: u.teamId,
    session: { id: "test", authenticatedAt: new Date() },
  };
}
