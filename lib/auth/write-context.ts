import "server-only";
import { headers } from "next/headers";
import { getActor } from "@/lib/auth/current-actor";
import { AppError } from "@/lib/errors";
import { sourceAddress } from "@/lib/http/responses";
import type { WriteContext } from "@/lib/audit/authorized-write";

/** The signed-in person and their address, for an audited write from a server action or route. */
export async function requireWriteContext(): Promise<WriteContext> {
  const actor = await getActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  const h = await headers();
  const ip = sourceAddress(h);
  return { actor, ip };
}
