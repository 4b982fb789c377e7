import "server-only";
import { randomBytes } from "node:crypto";
import { sealSecret } from "@/lib/mfa/factors";

/**
 * A webhook's signing secret is sealed at rest like a TOTP secret (AES-256-GCM under a key derived from
 * the session secret, lib/mfa/factors.ts), bound to the webhook: a copy of the database alone does not let
 * anyone forge events to the receivers.
 */
export const sealedFor = (webhookId: string) => `webhook:${webhookId}`;

/** After a rotation, how long deliveries are signed with the old secret as well as the new. */
export const ROTATION_OVERLAP_HOURS = 24;
/** How many replaced secrets sign beside the current one at most (two rotations within the day). */
export const PREVIOUS_SECRETS = 2;

/** A new secret for a webhook (a new one's id when none is given): "whsec_" and base64 of 32 random bytes, and sealed. */
export function newWebhookSecret(id = `wh_${randomBytes(12).toString("hex")}`): {
  id: string;
  secret: string;
  sealed: string;
} {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  return { id, secret, sealed: sealSecret(secret, sealedFor(id)) };
}
