import "server-only";
import { headers } from "next/headers";
import { getActor, getActorFor, isSignedIn } from "@/lib/auth/current-actor";
import { AppError } from "@/lib/errors";
import { sourceAddress } from "@/lib/http/responses";
import type { WriteContext } from "@/lib/audit/authorized-write";

/**
 * The signed-in person and their address, for an audited write from a server action or route.
 * `step`: one of the writes a session may make before it is fully open (the password change after a
 * one-time password, enrolling a second factor when one is required, giving it at sign-in).
 */
export async function requireWriteContext(
  options: { step?: "password-change" | "enrolment" | "second-factor" } = {},
): Promise<WriteContext> {
  const actor = options.step ? (await getActorFor(options.step))?.actor : await getActor();
  if (!actor && options.step && (await isSignedIn()))
    throw new AppError("FORBIDDEN", "This sign-in step is not open to your session now.");
  if (!actor) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  const h = await headers();
  const ip = sourceAddress(h);
  return { actor, ip };
}
