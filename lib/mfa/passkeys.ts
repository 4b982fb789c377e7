import "server-only";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { AppError } from "@/lib/errors";

// Passkeys (WebAuthn) through @simplewebauthn/server: the relying party is the address people use
// (NEXTAUTH_URL), so a passkey made for one installation cannot be replayed to another.

/** A ceremony's challenge is good for this long and used once. */
export const CHALLENGE_MS = 5 * 60_000;

export function relyingParty(): { id: string; origin: string; name: string } {
  const url = new URL(process.env.NEXTAUTH_URL || "http://localhost:3000");
  return { id: url.hostname, origin: url.origin, name: "ApiLedger" };
}

export type StoredPasskey = { credentialId: string; publicKey: string; counter: number; transports: string };

const transportsOf = (p: { transports: string }) =>
  p.transports ? (p.transports.split(",") as AuthenticatorTransportFuture[]) : undefined;

export async function registrationOptions(
  user: { id: string; email: string; name: string },
  existing: { credentialId: string; transports: string }[],
) {
  const rp = relyingParty();
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
    timeout: CHALLENGE_MS,
  });
}

/** The new passkey's stored form, or a refusal in words. */
export async function verifyRegistration(response: unknown, challenge: string): Promise<StoredPasskey> {
  const rp = relyingParty();
  const result = await verifyRegistrationResponse({
    response: response as RegistrationResponseJSON,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: false,
  }).catch((error: unknown) => {
    const message = `The passkey was not accepted: ${(error as Error).message}`;
    throw new AppError("VALIDATION", message, { passkey: [message] });
  });
  if (!result.verified)
    throw new AppError("VALIDATION", "The passkey was not accepted.", { passkey: ["The passkey was not accepted."] });
  const { credential } = result.registrationInfo;
  return {
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: credential.counter,
    transports: (credential.transports ?? []).join(","),
  };
}

export async function authenticationOptions(passkeys: { credentialId: string; transports: string }[]) {
  return generateAuthenticationOptions({
    rpID: relyingParty().id,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
    userVerification: "preferred",
    timeout: CHALLENGE_MS,
  });
}

/** The credential id the response names (to find the stored passkey), without trusting anything else yet. */
export function responseCredentialId(response: unknown): string {
  const id = (response as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id.slice(0, 1024) : "";
}

/** The passkey's new signature counter when the response is a valid assertion for the challenge, else null. */
export async function verifyAssertion(
  response: unknown,
  challenge: string,
  passkey: StoredPasskey,
): Promise<number | null> {
  const rp = relyingParty();
  try {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
        counter: passkey.counter,
        transports: transportsOf(passkey),
      },
      requireUserVerification: false,
    });
    return result.verified ? result.authenticationInfo.newCounter : null;
  } catch {
    return null;
  }
}
