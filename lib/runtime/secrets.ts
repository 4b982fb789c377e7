// Secrets the installation needs from its first start: the session-signing secret and the Ed25519 key
// that signs evidence bundles. Generated once into <data dir>/secrets.json (git-ignored, mode 0600) and
// reused after. An operator can supply both instead — as a cluster must, so that every instance reads
// the others' sessions and signs with one key: NEXTAUTH_SECRET or NEXTAUTH_SECRET_FILE, and the
// signing key's settings (lib/signing/key.ts).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** A secret or key configured wrongly; the message names the setting and how to put it right. */
export class SecretSettingError extends Error {}

/** The text of a file a setting names, or a SecretSettingError naming both. */
export function readSettingFile(setting: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new SecretSettingError(
      `${setting} names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
}

export type Secrets = {
  nextAuthSecret: string;
  signingPrivateKeyPem: string;
  signingPublicKeyPem: string;
  /** Public halves of the keys `npm run signing-key:rotate` replaced, oldest first. */
  retiredSigningPublicKeys?: string[];
  /**
   * By a retired key's fingerprint: the last audit entry it may vouch for (the new key's first checkpoint
   * at the rotation), so a checkpoint or bundle it signs for later entries is refused.
   */
  retiredSigningKeyLastEntries?: Record<string, number>;
};

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), env.APILEDGER_DATA_DIR?.trim() || ".apiledger");
}

export function secretsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), "secrets.json");
}

/** The secrets file's contents, or null when there is none (nothing is created). */
export function readSecrets(env: NodeJS.ProcessEnv = process.env): Secrets | null {
  const file = secretsFile(env);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Secrets) : null;
}

export function loadOrCreateSecrets(env: NodeJS.ProcessEnv = process.env): { secrets: Secrets; created: boolean } {
  const file = secretsFile(env);
  const existing = readSecrets(env);
  if (existing) return { secrets: existing, created: false };
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const secrets: Secrets = {
    nextAuthSecret: randomBytes(32).toString("base64url"),
    signingPrivateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    signingPublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // "wx" fails if another process created it meanwhile; then use theirs.
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateSecrets(env);
    throw error;
  }
  return { secrets, created: true };
}

/** The session secret: NEXTAUTH_SECRET, else the contents of NEXTAUTH_SECRET_FILE, else the generated one. */
export function nextAuthSecret(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.NEXTAUTH_SECRET?.trim();
  if (given) return given;
  const file = env.NEXTAUTH_SECRET_FILE?.trim();
  if (file) {
    const text = readSettingFile("NEXTAUTH_SECRET_FILE", file).trim();
    // The secret signs and encrypts sessions and seals authenticator secrets: a short one is guessable.
    if (text.length < 32)
      throw new SecretSettingError(
        `NEXTAUTH_SECRET_FILE (${file}) holds ${text.length} characters; use 32 or more (openssl rand -base64 32).`,
      );
    return text;
  }
  return loadOrCreateSecrets(env).secrets.nextAuthSecret;
}

/**
 * Replaces the secrets file's signing key with a new one, keeping the old public key among the retired
 * ones (so what it signed still verifies). Written to a new file renamed over the old, so a reader sees
 * one or the other, whole. Returns both fingerprints' keys.
 */
/** Writes the secrets file as a new file renamed over the old, so a reader sees one or the other, whole. */
function replaceSecrets(file: string, next: Secrets): void {
  const temporary = `${file}.${process.pid}.new`;
  fs.writeFileSync(temporary, JSON.stringify(next, null, 2), { mode: 0o600, flag: "wx" });
  fs.renameSync(temporary, file);
}

/**
 * Records, for a key `npm run signing-key:rotate` retired, the last audit entry it may vouch for (the new
 * key's first checkpoint).
 */
export function recordRetiredKeyLastEntry(
  fingerprint: string,
  lastEntry: number,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const file = secretsFile(env);
  const secrets = readSecrets(env);
  if (!secrets) throw new Error(`There is no secrets file at ${file}.`);
  const next: Secrets = {
    ...secrets,
    retiredSigningKeyLastEntries: { ...secrets.retiredSigningKeyLastEntries, [fingerprint]: lastEntry },
  };
  replaceSecrets(file, next);
}

export function rotateStoredSigningKey(env: NodeJS.ProcessEnv = process.env): {
  oldPublicKeyPem: string;
  newPublicKeyPem: string;
} {
  const file = secretsFile(env);
  const secrets = readSecrets(env);
  if (!secrets) throw new Error(`There is no secrets file at ${file}: the installation has not started yet.`);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const next: Secrets = {
    ...secrets,
    signingPrivateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    signingPublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    retiredSigningPublicKeys: [...(secrets.retiredSigningPublicKeys ?? []), secrets.signingPublicKeyPem],
  };
  replaceSecrets(file, next);
  return { oldPublicKeyPem: secrets.signingPublicKeyPem, newPublicKeyPem: next.signingPublicKeyPem };
}
