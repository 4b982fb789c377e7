// Backups encrypted with age (age-encryption.org/v1, through the age-encryption library by its author):
// `npm run backup -- --recipient age1…` or `--recipients-file FILE` encrypts the ZIP as it is written, to
// public keys only, so whoever runs the backup (a cron job, a database administrator) can make one and
// not read it; `npm run restore -- FILE --identity KEYFILE` decrypts it. The files interoperate with the
// age command-line tool (`age-keygen`, `age -d -i KEYFILE`), which is how a backup is read without the app.
import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadable } from "node:stream/web";
import { Decrypter, Encrypter } from "age-encryption";

/** A recipients or identities setting that cannot be used, said in words (the CLI prints it). */
export class AgeKeyError extends Error {}

/** The first bytes of an age file: the binary header, or the armored (PEM-like) form. */
const BINARY = "age-encryption.org/v1\n";
const ARMORED = "-----BEGIN AGE ENCRYPTED FILE-----";

/** Whether `file` is an age-encrypted file (so a restore needs an identity), and in which form. */
export function ageFormOf(file: string): "binary" | "armored" | null {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(ARMORED.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString("latin1");
    return text.startsWith(BINARY) ? "binary" : text.startsWith(ARMORED) ? "armored" : null;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The lines of an age recipients or identity file that carry keys: blank lines and `#` comments are
 * skipped, as age does. Each must start with `prefix`; anything else is refused with its line number
 * (and never echoed: an identity file's lines are private keys).
 */
function keyLines(text: string, prefixes: string[], what: string, source: string): string[] {
  const keys: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    if (!prefixes.some((p) => line.startsWith(p)) || !/^[\x21-\x7e]+$/.test(line))
      throw new AgeKeyError(`${source}, line ${i + 1}: not an age ${what} (expected one starting "${prefixes[0]}").`);
    keys.push(line);
  });
  if (!keys.length) throw new AgeKeyError(`${source} holds no age ${what}.`);
  return keys;
}

/** Recipients from `--recipient` values and a recipients file (`age-keygen -y key.txt > recipients.txt`). */
export function readRecipients(given: { recipient?: string; file?: string }): string[] {
  const recipients: string[] = [];
  if (given.recipient) recipients.push(...keyLines(given.recipient, ["age1"], "recipient", "--recipient"));
  if (given.file) recipients.push(...keyLines(readKeyFile(given.file), ["age1"], "recipient", given.file));
  // Each is parsed now, so a typo stops the backup before anything is written.
  const check = new Encrypter();
  for (const recipient of recipients)
    try {
      check.addRecipient(recipient);
    } catch {
      throw new AgeKeyError(`${recipient.slice(0, 12)}… is not a valid age recipient (a public key from age-keygen).`);
    }
  return recipients;
}

/** The private keys of an identity file (`age-keygen -o key.txt`). */
export function readIdentities(file: string): string[] {
  // X25519 keys, and the post-quantum hybrid ones age 1.3 makes (-pq).
  return keyLines(readKeyFile(file), ["AGE-SECRET-KEY-1", "AGE-SECRET-KEY-PQ-1"], "identity", file);
}

function readKeyFile(file: string): string {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new AgeKeyError(`${file} is not a file.`);
    if (stat.size > 1 << 20) throw new AgeKeyError(`${file} is larger than a key file can be (1 MiB).`);
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof AgeKeyError) throw error;
    throw new AgeKeyError(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? "error"}.`);
  }
}

/** The library's web stream (typed with the DOM's types) as a Node stream. */
const fromWeb = (stream: unknown) => Readable.fromWeb(stream as WebReadable<Uint8Array>);

/** `plain` encrypted to every recipient, as a stream of the age file's bytes. */
export async function encryptStream(plain: Readable, recipients: string[]): Promise<Readable> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const encrypted = await encrypter.encrypt(Readable.toWeb(plain) as ReadableStream<Uint8Array>);
  return fromWeb(encrypted);
}

/**
 * Decrypts the age file `source` into `target` (created 0600, must not exist). age authenticates every
 * 64 KiB chunk and the end of the file, so a changed or cut-short file fails here; the caller removes
 * what was written.
 */
export async function decryptFile(source: string, target: string, identities: string[]): Promise<void> {
  const decrypter = new Decrypter();
  for (const identity of identities)
    try {
      decrypter.addIdentity(identity);
    } catch {
      throw new AgeKeyError("The identity file holds a key age cannot read.");
    }
  try {
    const plain = await decrypter.decrypt(Readable.toWeb(fs.createReadStream(source)) as ReadableStream<Uint8Array>);
    await pipeline(fromWeb(plain), fs.createWriteStream(target, { mode: 0o600, flags: "wx" }));
  } catch (error) {
    if (error instanceof AgeKeyError) throw error;
    // The machine's own failures (a full disk, a file it may not read) are said as they are.
    if (typeof (error as NodeJS.ErrnoException).code === "string" && (error as NodeJS.ErrnoException).syscall)
      throw error;
    const message = (error as Error).message;
    throw new AgeKeyError(
      /no identity matched/i.test(message)
        ? "None of the identity file's keys is one the backup was encrypted to."
        : `The encrypted backup cannot be decrypted: it is damaged or was changed (${message.slice(0, 120)}).`,
    );
  }
}
