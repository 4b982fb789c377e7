import "server-only";
import { headers } from "next/headers";
import { getActor, getActorForPasswordChange } from "@/lib/auth/current-actor";
import { AppError } from "@/lib/errors";
import { sourceAddress } from "@/lib/http/responses";
import type { WriteContext } from "@/lib/audit/authorized-write";

/**
 * The signed-in person and their address, for an audited write from a server action or route.
 * `passwordChange`: the one write a session with a one-time password may make.
 */
export async function requireWriteContext(options: { passwordChange?: true } = {}): Promise<WriteContext> {
  const actor = options.passwordChange ? (await getActorForPasswordChange())?.actor : await getActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  const h = await headers();
  const ip = sourceAddress(h);
  return { actor, ip };
}
