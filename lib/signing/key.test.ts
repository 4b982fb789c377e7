// Where the signing key and the session secret come from when an operator supplies them — as every
// instance of a cluster must share them — and what a rotation keeps. Keys are made with OpenSSL, as the
// README tells operators to.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nextAuthSecret, readSecrets, rotateStoredSigningKey, SecretSettingError } from "@/lib/runtime/secrets";
import {
  installationPublicKeys,
  keyFingerprint,
  retiredKeyLimits,
  retiredPublicKeys,
  signingKey,
  verifySignature,
} from "@/lib/signing/key";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-keys-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "pipe", "ignore"] });
function ed25519KeyFile(name: string): string {
  const file = path.join(dir, name);
  openssl("genpkey", "-algorithm", "ed25519", "-out", file);
  return file;
}
/** The fingerprint as the Evidence page tells auditors to compute it. */
const opensslFingerprint = (keyFile: string) =>
  execFileSync("sh", ["-c", `openssl pkey -in '${keyFile}' -pubout -outform DER | sha256sum`], {
    encoding: "utf8",
  }).split(" ")[0];
const publicPem = (keyFile: string) => openssl("pkey", "-in", keyFile, "-pubout").toString();
const instance = (name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  NODE_ENV: "test",
  APILEDGER_DATA_DIR: path.join(dir, name),
  ...extra,
});

describe("the signing key an operator supplies", () => {
  it("from APILEDGER_SIGNING_KEY_FILE: two instances with their own data folders sign as one, with OpenSSL's fingerprint", () => {
    const file = ed25519KeyFile("cluster.pem");
    const a = signingKey(instance("a", { APILEDGER_SIGNING_KEY_FILE: file }));
    const b = signingKey(instance("b", { APILEDGER_SIGNING_KEY_FILE: file }));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toBe(opensslFingerprint(file));
    expect(a.source).toBe("APILEDGER_SIGNING_KEY_FILE");
    const signature = a.sign(Buffer.from("manifest"));
    expect(verifySignature(Buffer.from("manifest"), signature, b.publicKeyPem)).toBe(true);
    // Neither made a key of its own.
    expect(fs.existsSync(path.join(dir, "a", "secrets.json"))).toBe(false);
  });

  it("from APILEDGER_SIGNING_KEY, also written on one line with \\n for its breaks", () => {
    const file = ed25519KeyFile("env.pem");
    const pem = fs.readFileSync(file, "utf8");
    const oneLine = pem.trim().replace(/\n/g, "\\n");
    expect(signingKey(instance("c", { APILEDGER_SIGNING_KEY: pem })).fingerprint).toBe(opensslFingerprint(file));
    expect(signingKey(instance("c", { APILEDGER_SIGNING_KEY: oneLine })).fingerprint).toBe(opensslFingerprint(file));
    // The file wins over the environment.
    const other = ed25519KeyFile("other.pem");
    expect(
      signingKey(instance("c", { APILEDGER_SIGNING_KEY: pem, APILEDGER_SIGNING_KEY_FILE: other })).fingerprint,
    ).toBe(opensslFingerprint(other));
  });

  it("refuses, in words naming the setting, a key that is not Ed25519, not a key, or not readable", () => {
    const rsa = path.join(dir, "rsa.pem");
    openssl("genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa);
    const refused = (env: Record<string, string>) => {
      try {
        signingKey(instance("d", env));
      } catch (error) {
        expect(error).toBeInstanceOf(SecretSettingError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refused({ APILEDGER_SIGNING_KEY_FILE: rsa })).toMatch(
      /APILEDGER_SIGNING_KEY_FILE .*rsa key, not Ed25519.*openssl genpkey -algorithm ed25519/,
    );
    expect(refused({ APILEDGER_SIGNING_KEY: "hello" })).toMatch(
      /APILEDGER_SIGNING_KEY is not an unencrypted PEM private key/,
    );
    expect(refused({ APILEDGER_SIGNING_KEY_FILE: path.join(dir, "missing.pem") })).toMatch(
      /missing\.pem, which cannot be read \(ENOENT\)/,
    );
    // A public key where the private one belongs is not a signing key.
    fs.writeFileSync(path.join(dir, "public-only.pem"), publicPem(rsa));
    expect(refused({ APILEDGER_SIGNING_KEY_FILE: path.join(dir, "public-only.pem") })).toMatch(
      /not an unencrypted PEM private key/,
    );
  });

  it("lists retired keys from APILEDGER_SIGNING_RETIRED_KEYS_FILE once each, without the current one", () => {
    const [old1, old2, current] = [ed25519KeyFile("old1.pem"), ed25519KeyFile("old2.pem"), ed25519KeyFile("now.pem")];
    const retiredFile = path.join(dir, "retired.pem");
    // As `openssl pkey -pubout >> retired.pem` leaves it: blocks one after another, one of them twice, the current key too.
    fs.writeFileSync(retiredFile, [publicPem(old1), publicPem(old2), publicPem(old1), publicPem(current)].join(""));
    const env = instance("e", {
      APILEDGER_SIGNING_KEY_FILE: current,
      APILEDGER_SIGNING_RETIRED_KEYS_FILE: retiredFile,
    });
    const keys = installationPublicKeys(env);
    expect(keys.map(keyFingerprint)).toEqual([current, old1, old2].map(opensslFingerprint));
    fs.writeFileSync(retiredFile, "not a key\n");
    expect(() => retiredPublicKeys(env)).toThrow(/holds no "BEGIN PUBLIC KEY" block/);
  });

  it("reads each block's last entry and revocation from the lines above it, the stricter where two sources differ", () => {
    const [old1, old2, old3, current] = ["l1.pem", "l2.pem", "l3.pem", "lnow.pem"].map(ed25519KeyFile);
    const retiredFile = path.join(dir, "limited.pem");
    fs.writeFileSync(
      retiredFile,
      [
        "# keys this installation used before\n",
        "ApiLedger-Last-Entry: 1200\n",
        publicPem(old1!),
        // Control and bidirectional characters in a reason are dropped: it is shown on a page and printed.
        "ApiLedger-Revoked: found on a share\u202e\u0000 in March\n",
        publicPem(old2!),
        publicPem(old3!),
        "ApiLedger-Last-Entry: 900\n",
        publicPem(old1!),
      ].join(""),
    );
    const env = instance("g", {
      APILEDGER_SIGNING_KEY_FILE: current!,
      APILEDGER_SIGNING_RETIRED_KEYS_FILE: retiredFile,
    });
    const limits = retiredKeyLimits(env);
    expect(limits.get(opensslFingerprint(old1!)!)).toEqual({ lastEntry: 900, revoked: null });
    expect(limits.get(opensslFingerprint(old2!)!)).toEqual({ lastEntry: null, revoked: "found on a share in March" });
    expect(limits.has(opensslFingerprint(old3!)!)).toBe(false);
    // The revoked key is not among the keys verifiers trust; the limited one is, with its limit.
    expect(installationPublicKeys(env).map(keyFingerprint)).toEqual(
      [current, old1, old3].map((f) => opensslFingerprint(f!)),
    );
    // Read strictly: a limit quietly dropped would leave a key trusted.
    fs.writeFileSync(
      retiredFile,
      `\uFEFF  ApiLedger-Revoked: leaked\r\n${publicPem(old1!)}ApiLedger-Last-Entry: 5\n${publicPem(old2!)}${publicPem(old1!)}`,
    );
    // A byte-order mark, an indent and CRLF are read; the key listed again below keeps its revocation.
    expect(retiredKeyLimits(env).get(opensslFingerprint(old1!)!)).toEqual({ lastEntry: null, revoked: "leaked" });
    expect(retiredKeyLimits(env).get(opensslFingerprint(old2!)!)).toEqual({ lastEntry: 5, revoked: null });
    const refused: [string, RegExp][] = [
      [`ApiLedger-Last-Entry: 900 # the rotation\n${publicPem(old1!)}`, /an audit entry's number and nothing else/],
      [`ApiLedger-Last-Entry: 9\nApiLedger-Last-Entry: 8\n${publicPem(old1!)}`, /two ApiLedger-Last-Entry lines/],
      [`ApiLedger-Revoked: a\nApiLedger-Revoked: b\n${publicPem(old1!)}`, /two ApiLedger-Revoked lines/],
      [`ApiLedger-Revoke: leaked\n${publicPem(old1!)}`, /not an annotation this version reads/],
      [`${publicPem(old1!)}ApiLedger-Revoked: leaked\n`, /after the last key block/],
    ];
    for (const [text, message] of refused) {
      fs.writeFileSync(retiredFile, text);
      expect(() => retiredKeyLimits(env), text).toThrow(message);
    }
    for (const bad of ["-1", "12a", "=1+1", "1e3", "99999999999999999"]) {
      fs.writeFileSync(retiredFile, `ApiLedger-Last-Entry: ${bad}\n${publicPem(old1!)}`);
      expect(() => retiredKeyLimits(env), bad).toThrow(/must be followed by an audit entry's number/);
    }
  });
});

describe("the signing key in the secrets file", () => {
  it("is read without being created by the verifiers, and a rotation keeps the old public key as retired", () => {
    const env = instance("f");
    expect(installationPublicKeys(env)).toEqual([]);
    expect(fs.existsSync(path.join(dir, "f"))).toBe(false);
    const first = signingKey(env);
    expect(first.source).toBe("secrets file");
    const sessionSecret = readSecrets(env)!.nextAuthSecret;
    const { oldPublicKeyPem, newPublicKeyPem } = rotateStoredSigningKey(env);
    expect(keyFingerprint(oldPublicKeyPem)).toBe(first.fingerprint);
    const second = signingKey(env);
    expect(second.fingerprint).toBe(keyFingerprint(newPublicKeyPem));
    expect(second.fingerprint).not.toBe(first.fingerprint);
    rotateStoredSigningKey(env);
    const third = signingKey(env);
    expect(installationPublicKeys(env).map(keyFingerprint)).toEqual([
      third.fingerprint,
      first.fingerprint,
      second.fingerprint,
    ]);
    // The rest of the file is kept, and it stays private.
    expect(readSecrets(env)!.nextAuthSecret).toBe(sessionSecret);
    expect(fs.statSync(path.join(dir, "f", "secrets.json")).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dir, "f"))).toEqual(["secrets.json"]);
  });
});

describe("the session secret an operator supplies", () => {
  it("comes from NEXTAUTH_SECRET_FILE, and a short or missing one is refused", () => {
    const file = path.join(dir, "session-secret");
    fs.writeFileSync(file, `${"s".repeat(44)}\n`);
    expect(nextAuthSecret(instance("g", { NEXTAUTH_SECRET_FILE: file }))).toBe("s".repeat(44));
    expect(nextAuthSecret(instance("g", { NEXTAUTH_SECRET: "from-env", NEXTAUTH_SECRET_FILE: file }))).toBe("from-env");
    fs.writeFileSync(file, "short");
    expect(() => nextAuthSecret(instance("g", { NEXTAUTH_SECRET_FILE: file }))).toThrow(
      /holds 5 characters; use 32 or more/,
    );
    expect(() => nextAuthSecret(instance("g", { NEXTAUTH_SECRET_FILE: path.join(dir, "nope") }))).toThrow(
      SecretSettingError,
    );
    expect(fs.existsSync(path.join(dir, "g"))).toBe(false);
  });
});
