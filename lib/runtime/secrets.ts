// Secrets the installation needs from its first start: the session-signing secret and the Ed25519 key
// that signs evidence bundles. Generated once into <data dir>/secrets.json (git-ignored, mode 0600) and
// reused after; an operator can supply NEXTAUTH_SECRET through the environment instead.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type Secrets = { nextAuthSecret: string; signingPrivateKeyPem: string; signingPublicKeyPem: string };

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), env.APILEDGER_DATA_DIR?.trim() || ".apiledger");
}

export function secretsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), "secrets.json");
}

export function loadOrCreateSecrets(env: NodeJS.ProcessEnv = process.env): { secrets: Secrets; created: boolean } {
  const file = secretsFile(env);
  if (fs.existsSync(file)) {
    return { secrets: JSON.parse(fs.readFileSync(file, "utf8")) as Secrets, created: false };
  }
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

/** The session secret: NEXTAUTH_SECRET if set, otherwise the generated one. */
export function nextAuthSecret(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXTAUTH_SECRET?.trim() || loadOrCreateSecrets(env).secrets.nextAuthSecret;
}
