// The key files an operator hands to `npm run backup` and `npm run restore`, attacked: what is not a key
// is refused by line number without echoing it (an identity file's lines are private keys), and a file
// encrypted here decrypts only with its key and only unchanged. The age tool itself is in
// backup.integration.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, describe, expect, it } from "vitest";
import { generateIdentity, identityToRecipient } from "age-encryption";
import { AgeKeyError, ageFormOf, decryptFile, encryptStream, readIdentities, readRecipients } from "./encryption";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-age-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe("age key files", () => {
  it("reads recipients and identities as age does (comments, blank lines, CRLF) and refuses anything else", async () => {
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    expect(readRecipients({ file: write("r.txt", `# backups\r\n\r\n${recipient}\r\n`) })).toEqual([recipient]);
    expect(readRecipients({ recipient })).toEqual([recipient]);
    expect(readIdentities(write("k.txt", `# created: today\n# public key: ${recipient}\n${identity}\n`))).toEqual([
      identity,
    ]);
    const hostile: [string, string][] = [
      ["nul", `${recipient}\0`],
      ["bidi", `age1\u202e${recipient.slice(4)}`],
      ["lone surrogate", `${recipient}\ud800`],
      ["formula", `=${recipient}`],
      ["html", `<script>alert(1)</script>`],
      ["ssh key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"],
    ];
    for (const [what, line] of hostile) {
      const file = write(`bad-${what}.txt`, `# ok\n${line}\n`);
      expect(() => readRecipients({ file }), what).toThrow(/line 2: not an age recipient/);
      expect(() => readIdentities(file), what).toThrow(/line 2: not an age identity/);
    }
    // A line shaped like a key that is not one: refused, naming its start only.
    expect(() => readRecipients({ recipient: "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq" })).toThrow(
      /age1qqqqqqqq… is not a valid age recipient/,
    );
    // An identity file's wrong line is never echoed: it may be someone's private key, mistyped.
    const leaked = write("leak.txt", `${identity.slice(0, 30)} ${identity.slice(30)}\n`);
    const error = (() => {
      try {
        readIdentities(leaked);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(AgeKeyError);
    expect(error!.message).not.toContain(identity.slice(16, 30));
    expect(() => readRecipients({ file: write("empty.txt", "# nothing\n\n") })).toThrow(/holds no age recipient/);
    expect(() => readRecipients({ file: write("huge.txt", Buffer.alloc(2 << 20, 0x61)) })).toThrow(/larger than/);
    expect(() => readRecipients({ file: dir })).toThrow(/is not a file/);
    expect(() => readRecipients({ file: path.join(dir, "missing.txt") })).toThrow(/cannot be read: ENOENT/);
  });

  it("a stream encrypted to two recipients decrypts with either key, only unchanged", async () => {
    const [a, b, stranger] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()]);
    const plain = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const encrypted = path.join(dir, "x.age");
    await pipeline(
      await encryptStream(Readable.from([plain.subarray(0, 100_000), plain.subarray(100_000)]), [
        await identityToRecipient(a),
        await identityToRecipient(b),
      ]),
      fs.createWriteStream(encrypted),
    );
    expect(ageFormOf(encrypted)).toBe("binary");
    expect(ageFormOf(write("plain.zip", plain))).toBeNull();
    for (const [name, key] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const out = path.join(dir, `out-${name}`);
      await decryptFile(encrypted, out, [key]);
      expect(fs.readFileSync(out).equals(plain)).toBe(true);
      expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    }
    await expect(decryptFile(encrypted, path.join(dir, "out-s"), [stranger])).rejects.toThrow(
      "None of the identity file's keys is one the backup was encrypted to.",
    );
    const bytes = fs.readFileSync(encrypted);
    const cut = write("cut.age", bytes.subarray(0, bytes.length - 100));
    await expect(decryptFile(cut, path.join(dir, "out-cut"), [a])).rejects.toThrow(/damaged or was changed/);
    const flipped = Buffer.from(bytes);
    const at = flipped.length - 1_000;
    flipped[at] = flipped[at]! ^ 0x80;
    await expect(decryptFile(write("flip.age", flipped), path.join(dir, "out-flip"), [a])).rejects.toThrow(
      /damaged or was changed/,
    );
  });
});
