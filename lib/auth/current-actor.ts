import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { authOptions } from "@/lib/auth/options";
import type { Actor, Role } from "@/lib/authz/policy";

export type UserActor = Extract<Actor, { kind: "user" }> & { name: string };

/**
 * The signed-in person, loaded fresh from the database once per request: a role change or deactivation
 * applies at the next request, not when the session cookie expires. The session only carries the id.
 */
export const getActor = cache(async (): Promise<UserActor | null> => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, teamId: true, isActive: true },
  });
  if (!user || !user.isActive) return null;
  return {
    kind: "user",
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    teamId: user.teamId,
  };
});

/** For pages: the signed-in person, or a redirect to the sign-in page (e.g. after deactivation). */
export async function requireActor(): Promise<UserActor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return actor;
}
