import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateSecrets, nextAuthSecret } from "@/lib/runtime/secrets";

describe("first-start secrets", () => {
  it("are generated once into a private file and reused", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-secrets-"));
    const env: NodeJS.ProcessEnv = { ...process.env, APILEDGER_DATA_DIR: dir, NEXTAUTH_SECRET: "" };
    const first = loadOrCreateSecrets(env);
    expect(first.created).toBe(true);
    const file = path.join(dir, "secrets.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = loadOrCreateSecrets(env);
    expect(second.created).toBe(false);
    expect(second.secrets).toEqual(first.secrets);
    expect(first.secrets.nextAuthSecret.length).toBeGreaterThanOrEqual(43);
    // The signing key pair works as an Ed25519 pair.
    const signature = sign(null, Buffer.from("manifest"), createPrivateKey(first.secrets.signingPrivateKeyPem));
    expect(verify(null, Buffer.from("manifest"), createPublicKey(first.secrets.signingPublicKeyPem), signature)).toBe(
      true,
    );
    expect(nextAuthSecret({ ...env, NEXTAUTH_SECRET: "from-env" })).toBe("from-env");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
