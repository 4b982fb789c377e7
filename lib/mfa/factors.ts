import "server-only";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomInt } from "node:crypto";
import QRCode from "qrcode";
import { generateSecret, generateURI, verify } from "otplib";
import { nextAuthSecret } from "@/lib/runtime/secrets";

// The pieces of the second factor that hold no state: TOTP codes (RFC 6238, through
// otplib) and recovery codes. The writes that use them are in enrol.ts and second-factor.ts.

export const ISSUER = "ApiLedger";
/** Codes are accepted 30 seconds either side of now (one step of clock drift), never twice (lastTimeStep). */
const TOTP_TOLERANCE_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;

export function newTotpSecret(): string {
  return generateSecret();
}

// A TOTP secret is a password the server must be able to read back, so it is kept sealed: AES-256-GCM
// (Node's crypto) under a key derived (HKDF-SHA256) from the installation's session secret, which lives
// outside the database. A copy of the database alone then gives no one the codes. Changing NEXTAUTH_SECRET
// makes sealed secrets unreadable: people sign in with a recovery code or an admin resets their factors.
const SEALED = "v1:";
const sealKey = () => Buffer.from(hkdfSync("sha256", nextAuthSecret(), "apiledger", "apiledger totp secret v1", 32));

const TAG = 16;

/** Seals a person's secret; `userId` is bound to it (GCM's associated data), so it opens for them alone. */
export function sealSecret(secret: string, userId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(), iv, { authTagLength: TAG });
  cipher.setAAD(Buffer.from(userId, "utf8"));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

export const isSealed = (stored: string) => stored.startsWith(SEALED);

/**
 * The secret, or null when it cannot be read (another installation's key, another person's, tampered).
 * A secret stored before sealing existed is read as it is (and sealed again at its next use).
 */
export function openSecret(sealed: string, userId: string): string | null {
  if (!isSealed(sealed)) return sealed;
  try {
    const raw = Buffer.from(sealed.slice(SEALED.length), "base64url");
    if (raw.length <= 12 + TAG) return null;
    const decipher = createDecipheriv("aes-256-gcm", sealKey(), raw.subarray(0, 12), { authTagLength: TAG });
    decipher.setAAD(Buffer.from(userId, "utf8"));
    decipher.setAuthTag(raw.subarray(12, 12 + TAG));
    return Buffer.concat([decipher.update(raw.subarray(12 + TAG)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** The otpauth:// URI an authenticator app reads, and the same as an SVG QR code (drawn here, no network). */
export async function totpEnrolment(email: string, secret: string) {
  const uri = generateURI({ issuer: ISSUER, label: email, secret });
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { uri, svg };
}

/**
 * The time step a six-digit code belongs to when it is right for the secret and newer than the last one
 * accepted (RFC 6238 §5.2: a code is accepted once), else null.
 */
export async function acceptedTimeStep(
  secret: string,
  code: string,
  lastTimeStep: number | null,
  now = new Date(),
): Promise<number | null> {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_TOLERANCE_SECONDS,
    ...(lastTimeStep !== null ? { afterTimeStep: lastTimeStep } : {}),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

// Recovery codes: 10 groups of random letters and digits without look-alikes (no 0/O, 1/I/L), about 60
// bits each, so a fast hash is enough (like API tokens); kept only as SHA-256.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: 3 }, () =>
      Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
    ).join("-"),
  );
}

/** Spaces, dashes and case do not matter when a code is typed back. */
export function hashRecoveryCode(code: string): string {
  const normal = code.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return createHash("sha256").update(`apiledger-recovery:${normal}`).digest("hex");
}
