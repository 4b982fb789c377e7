import "server-only";
import { randomBytes } from "node:crypto";
import { sealSecret } from "@/lib/mfa/factors";

/**
 * A webhook's signing secret is sealed at rest like a TOTP secret (AES-256-GCM under a key derived from
 * the session secret, lib/mfa/factors.ts), bound to the webhook: a copy of the database alone does not let
 * anyone forge events to the receivers.
 */
export const sealedFor = (webhookId: string) => `webhook:${webhookId}`;

/** A new webhook's id and its Standard Webhooks secret ("whsec_" and base64 of 32 random bytes), sealed. */
export function newWebhookSecret(): { id: string; secret: string; sealed: string } {
  const id = `wh_${randomBytes(12).toString("hex")}`;
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  return { id, secret, sealed: sealSecret(secret, sealedFor(id)) };
}
