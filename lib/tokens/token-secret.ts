import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

// Token secrets look like `apl_` + 40 random base62 characters + a 6-character base62 CRC32 of them.
// The fixed prefix lets secret scanners find leaked tokens; the checksum lets the server (and a scanner)
// reject a mistyped or made-up token without a database look-up. Only the SHA-256 of the whole secret
// is stored: a 238-bit random secret needs no slow hash.
export const TOKEN_PREFIX = "apl_";
export const TOKEN_PATTERN = /^apl_[0-9A-Za-z]{46}$/;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(bytes: Buffer, length: number): string {
  let n = BigInt(`0x${bytes.toString("hex") || "0"}`);
  let out = "";
  while (out.length < length) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

const checksum = (body: string) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(body) >>> 0);
  return base62(b, 6);
};

export function generateTokenSecret(): string {
  const body = base62(randomBytes(32), 40);
  return `${TOKEN_PREFIX}${body}${checksum(body)}`;
}

/** Format and checksum only; says nothing about whether the token exists. */
export function isWellFormedToken(secret: string): boolean {
  if (!TOKEN_PATTERN.test(secret)) return false;
  const body = secret.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 40);
  return secret.slice(-6) === checksum(body);
}

export const hashToken = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** What the UI shows to tell tokens apart: the prefix and the first characters. */
export const displayPrefix = (secret: string) => secret.slice(0, TOKEN_PREFIX.length + 6);
