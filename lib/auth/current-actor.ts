import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import type { Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { sourceAddress } from "@/lib/http/responses";
import { liveSession } from "@/lib/sessions/session-state";

export type UserActor = Extract<Actor, { kind: "user" }> & {
  name: string;
  session: NonNullable<Extract<Actor, { kind: "user" }>["session"]>;
};

export const ONE_TIME_PASSWORD_REFUSAL =
  "You signed in with a one-time password: change it first (Change password). Until then only that and signing out work.";

type SignedIn = { actor: UserActor; mustChangePassword: boolean };

/**
 * The signed-in person, from the session row the cookie names, loaded once per request: an ended,
 * expired or idle session, or a deactivated person, is nobody; a role change applies at the next request.
 */
const signedIn = cache(async (): Promise<SignedIn | null> => {
  const session = await getServerSession(authOptions());
  const sid = session?.user?.sid;
  if (!sid) return null;
  const live = await liveSession(sid, sourceAddress(await headers()));
  if (!live || live.user.id !== session.user.id) return null;
  const { mustChangePassword, ...user } = live.user;
  return {
    actor: { kind: "user", ...user, session: { id: live.id, authenticatedAt: live.authenticatedAt } },
    mustChangePassword,
  };
});

/**
 * The signed-in person for every page, action and route. A session signed in with a one-time password
 * is refused (403 with what to do) everywhere but the password change and sign-out.
 */
export async function getActor(): Promise<UserActor | null> {
  const current = await signedIn();
  if (current?.mustChangePassword) throw new AppError("FORBIDDEN", ONE_TIME_PASSWORD_REFUSAL);
  return current?.actor ?? null;
}

/** The password change itself: the one step a one-time-password session may take. */
export async function getActorForPasswordChange(): Promise<SignedIn | null> {
  return signedIn();
}

/** Whether anybody is signed in (the sign-in page sends them on), whatever they must do first. */
export async function isSignedIn(): Promise<boolean> {
  return (await signedIn()) !== null;
}

/**
 * For pages: the signed-in person, or a redirect — to the sign-in page (no session, or it ended), or to
 * the password change while a one-time password is in use.
 */
export async function requireActor(): Promise<UserActor> {
  const current = await signedIn();
  if (!current) redirect("/login");
  if (current.mustChangePassword) redirect("/account/password");
  return current.actor;
}
