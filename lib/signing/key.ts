// The installation's signing key (Ed25519, generated at first start by lib/runtime/secrets.ts): it signs
// evidence bundles (lib/evidence) and audit-log checkpoints (lib/audit). Kept free of database code so the
// offline verifiers share it.
import { createHash, createPublicKey, sign, verify } from "node:crypto";
import { loadOrCreateSecrets } from "@/lib/runtime/secrets";

/** SHA-256 of the public key's DER (SubjectPublicKeyInfo), as `openssl pkey -pubin -outform DER | sha256sum` prints it. */
export function keyFingerprint(publicKeyPem: string): string {
  return createHash("sha256")
    .update(createPublicKey(publicKeyPem).export({ type: "spki", format: "der" }))
    .digest("hex");
}

export function signingKey(): { publicKeyPem: string; fingerprint: string; sign: (data: Buffer) => Buffer } {
  const { secrets } = loadOrCreateSecrets();
  return {
    publicKeyPem: secrets.signingPublicKeyPem,
    fingerprint: keyFingerprint(secrets.signingPublicKeyPem),
    sign: (data) => sign(null, data, secrets.signingPrivateKeyPem),
  };
}

export function verifySignature(data: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  try {
    return verify(null, data, publicKeyPem, signature);
  } catch {
    return false;
  }
}
