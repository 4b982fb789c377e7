import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import type { Actor } from "@/lib/authz/policy";
import { AppError } from "@/lib/errors";
import { sourceAddress } from "@/lib/http/responses";
import { liveSession, type SessionStage } from "@/lib/sessions/session-state";

export type UserActor = Extract<Actor, { kind: "user" }> & {
  name: string;
  session: NonNullable<Extract<Actor, { kind: "user" }>["session"]>;
};

export const ONE_TIME_PASSWORD_REFUSAL =
  "You signed in with a one-time password: change it first (Change password). Until then only that and signing out work.";

export const SECOND_FACTOR_REFUSAL = "Finish signing in first: give your second factor (authenticator app or passkey).";
export const ENROLMENT_REFUSAL =
  "A second factor is required for your account: enrol an authenticator app or a passkey first. Until then only that and signing out work.";

export type SignedIn = { actor: UserActor; mustChangePassword: boolean; stage: SessionStage };

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
    stage: live.stage,
  };
});

/**
 * The signed-in person for every page, action and route. A session signed in with a one-time password
 * is refused (403 with what to do) everywhere but the password change and sign-out.
 */
export async function getActor(): Promise<UserActor | null> {
  const current = await signedIn();
  if (!current) return null;
  if (current.stage === "second-factor") throw new AppError("FORBIDDEN", SECOND_FACTOR_REFUSAL);
  if (current.mustChangePassword) throw new AppError("FORBIDDEN", ONE_TIME_PASSWORD_REFUSAL);
  if (current.stage === "enrol") throw new AppError("FORBIDDEN", ENROLMENT_REFUSAL);
  return current.actor;
}

/**
 * The signed-in person for one of the steps a session may take before it is fully open: the password
 * change (after the second factor), enrolling a second factor (after the password change), giving the
 * second factor (right after the password).
 */
export async function getActorFor(step: "password-change" | "enrolment" | "second-factor"): Promise<SignedIn | null> {
  const current = await signedIn();
  if (!current) return null;
  if (step === "second-factor") return current.stage === "second-factor" ? current : null;
  if (current.stage === "second-factor") return null;
  if (step === "enrolment" && current.mustChangePassword) return null;
  return current;
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
  if (current.stage === "second-factor") redirect("/login/verify");
  if (current.mustChangePassword) redirect("/account/password");
  if (current.stage === "enrol") redirect("/account/enrol");
  return current.actor;
}
