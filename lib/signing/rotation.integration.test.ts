// Rotating the signing key, as an operator does it: `npm run signing-key:rotate` for the key in the
// secrets file, a new key file for a configured one. What the old key signed must still verify with the
// installation's own tools, and the old key's checkpoints must still catch a rewritten log.
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, sign } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "@/lib/testing/run-cli";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { getSigningKey } from "@/lib/evidence/queries";
import { makeCheckpoint } from "@/lib/checkpoints/make-checkpoint";
import { keyFingerprint, signingKey } from "@/lib/signing/key";
import { personActor } from "@/lib/testing/actors";
import { verifyBundle } from "@/lib/evidence/verify-bundle";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { checkpointLine, signCheckpoint } from "@/lib/audit/checkpoint-format";
import { CHECKPOINT_SIG_FILE, CHECKPOINT_TEXT_FILE } from "@/lib/evidence/bundle-checkpoint";
import { checksumFile } from "@/lib/evidence/verify-instructions";
import { readZip } from "@/lib/testing/read-zip";
import yazl from "yazl";

const ed25519 = (file: string) =>
  execFileSync("openssl", ["genpkey", "-algorithm", "ed25519", "-out", file], { stdio: "ignore" });
const publicPem = (file: string) => execFileSync("openssl", ["pkey", "-in", file, "-pubout"], { encoding: "utf8" });

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`signing-key rotation on ${provider}`, () => {
    let database: TestDatabase;
    let dir: string;
    const saved = { ...process.env };
    const env = () => ({ ...process.env });
    const exportTo = async (name: string) => {
      const file = path.join(dir, name);
      const auditor = await personActor("auditor@example.com");
      await exportEvidenceBundle(
        { actor: auditor },
        { period: String(new Date().getUTCFullYear()) },
        fs.createWriteStream(file),
      );
      return file;
    };

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-rotation-"));
      process.env.APILEDGER_DATA_DIR = path.join(dir, "installation");
      await seedDemo();
    });
    afterAll(async () => {
      process.env = saved;
      await database?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("npm run signing-key:rotate: bundles signed before and after both verify offline, and audit:verify trusts both keys' checkpoints", async () => {
      const before = await exportTo("before.zip");
      const oldKey = signingKey().fingerprint;

      const rotated = runCli("lib/cli/signing-key-rotate.ts", [], env());
      expect(rotated.out).toContain(`Retired the key ${oldKey}`);
      expect(rotated.code).toBe(0);
      const newKey = signingKey().fingerprint;
      expect(newKey).not.toBe(oldKey);
      expect(rotated.out).toContain(`Signing now with the key ${newKey}`);
      // The rotation is on record: a checkpoint by each key, the new one's covering the old one's.
      const rotation = await db.auditCheckpoint.findMany({ where: { reason: "rotation" }, orderBy: { seq: "asc" } });
      expect(rotation.map((c) => c.fingerprint)).toEqual([oldKey, newKey]);

      const after = await exportTo("after.zip");
      expect((await verifyBundle(after, { fingerprint: newKey })).ok).toBe(true);

      const old = runCli("lib/cli/evidence-verify.ts", [before], env());
      expect(old.out).toContain("an earlier key of the installation on this machine");
      expect(old.out).toContain(`signed by the key ${oldKey}`);
      expect(old.code).toBe(0);
      const both = runCli("lib/cli/evidence-verify.ts", [after, "--previous", before], env());
      expect(both.out).toContain("Consistent with the previous bundle");
      expect(both.code).toBe(0);

      const audit = runCli("lib/cli/audit-verify.ts", [], env());
      expect(audit.out).toContain("Audit log intact.");
      expect(audit.out).not.toMatch(/not trusted|unknown key/i);
      expect(audit.code).toBe(0);

      // The Evidence page lists the old key among the earlier ones, and nothing it does not know.
      const shown = await getSigningKey(await personActor("auditor@example.com"));
      expect(shown.fingerprint).toBe(newKey);
      expect(shown.retired.map((r) => r.fingerprint)).toEqual([oldKey]);
      expect(shown.strangers).toEqual([]);
    });

    it("a retired key vouches for nothing past the rotation: a checkpoint or bundle it signs later is refused", async () => {
      // Whoever keeps the old secrets file (a copy in a backup, a stolen disk) holds the old private key.
      const secretsPath = path.join(process.env.APILEDGER_DATA_DIR!, "secrets.json");
      const stolen = fs.readFileSync(secretsPath, "utf8");
      const oldPrivate = createPrivateKey(
        (JSON.parse(stolen) as { signingPrivateKeyPem: string }).signingPrivateKeyPem,
      );
      const oldKey = signingKey().fingerprint;
      const rotated = runCli("lib/cli/signing-key-rotate.ts", [], env());
      expect(rotated.code).toBe(0);
      const first = await db.auditCheckpoint.findFirstOrThrow({
        where: { fingerprint: signingKey().fingerprint },
        orderBy: { seq: "asc" },
      });
      expect(rotated.out).toContain(`nothing it signs for entries after ${first.seq} is trusted`);
      // What the old key signed before still verifies (the first test's bundle), and the log is intact.
      expect(runCli("lib/cli/evidence-verify.ts", [path.join(dir, "before.zip")], env()).code).toBe(0);

      // Later, the installation goes on; the thief signs a checkpoint of the new head with the old key.
      await makeCheckpoint("export");
      const head = await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } });
      const forged = signCheckpoint(
        { installation: oldKey, seq: head.seq, head: head.hash, time: new Date() },
        (data) => sign(null, data, oldPrivate),
      );
      const forgedFile = path.join(dir, "forged-checkpoints.log");
      fs.writeFileSync(forgedFile, `${checkpointLine(forged)}\n`);
      const audit = runCli("lib/cli/audit-verify.ts", ["--checkpoint", forgedFile], env());
      expect(audit.code).toBe(1);
      expect(audit.out).toContain(
        `covers entries up to ${head.seq}, but its key ${oldKey} was retired after entry ${first.seq}`,
      );

      // And a bundle: the thief puts the old secrets file back and exports (everything signed with the old key).
      const current = fs.readFileSync(secretsPath, "utf8");
      fs.writeFileSync(secretsPath, stolen);
      const fake = await exportTo("signed-after-retirement.zip");
      fs.writeFileSync(secretsPath, current);
      const verified = runCli("lib/cli/evidence-verify.ts", [fake], env());
      expect(verified.code).toBe(1);
      expect(verified.out).toMatch(
        new RegExp(`but its key ${oldKey} was retired after entry ${first.seq}: it was signed with a retired key`),
      );
      // Given that key by the auditor, the installation's limit still holds.
      const given = runCli("lib/cli/evidence-verify.ts", [fake, "--fingerprint", oldKey], env());
      expect(given.code).toBe(1);
      expect(given.out).toContain("it was signed with a retired key");
      // The thief leaves the checkpoint out, as bundles made before checkpoints did, and signs again with
      // the old key: with no checkpoint to place it before the rotation, the bundle is refused too.
      const bare = path.join(dir, "no-checkpoint.zip");
      await withoutCheckpoint(fake, bare, (data) => sign(null, data, oldPrivate));
      // A well-made bundle in itself (signatures and sums all good for that key): only the limit refuses it.
      const itself = await verifyBundle(bare, { fingerprint: oldKey });
      expect(itself.problems).toEqual([]);
      expect(itself.checkpoint).toBeNull();
      const unplaced = runCli("lib/cli/evidence-verify.ts", [bare], env());
      expect(unplaced.code).toBe(1);
      expect(unplaced.out).toContain(
        `the bundle is signed by the key ${oldKey}, retired after entry ${first.seq}, and carries no audit-log checkpoint`,
      );
      // The thief's checkpoint went into the file too; the installation's next checkpoint ignores it.
      expect(await makeCheckpoint("export")).not.toBeNull();
    });

    it("a revoked key is trusted for nothing: its bundles and checkpoints are refused, naming the reason", async () => {
      const [k1, k2] = ["r1.pem", "r2.pem"].map((f) => path.join(dir, f));
      for (const f of [k1, k2]) ed25519(f!);
      try {
        process.env.APILEDGER_SIGNING_KEY_FILE = k1;
        const signedByK1 = await exportTo("by-k1.zip");
        const k1Key = keyFingerprint(publicPem(k1!));
        const retired = path.join(dir, "revoked.pem");
        fs.writeFileSync(retired, publicPem(k1!));
        process.env.APILEDGER_SIGNING_KEY_FILE = k2;
        process.env.APILEDGER_SIGNING_RETIRED_KEYS_FILE = retired;
        // Retired, not revoked: the bundle verifies as an earlier key's.
        expect(runCli("lib/cli/evidence-verify.ts", [signedByK1], env()).code).toBe(0);
        // The key leaked: the operator marks it revoked above its block in the retired-keys file.
        fs.writeFileSync(
          retired,
          `ApiLedger-Revoked: private key found on a file share, 2026-12-06\n${publicPem(k1!)}`,
        );
        const verified = runCli("lib/cli/evidence-verify.ts", [signedByK1], env());
        expect(verified.code).toBe(1);
        expect(verified.out).toContain(
          `signed by the key ${k1Key}, which this installation revoked (private key found on a file share, 2026-12-06)`,
        );
        // Its checkpoints are set aside as notes, not held against the log.
        const audit = runCli("lib/cli/audit-verify.ts", [], env());
        expect(audit.out).toMatch(
          new RegExp(`Note: checkpoint \\d+ in .* is not used: it names the key ${k1Key}, which was revoked`),
        );
        // (The thief's checkpoint from the test before is still a problem; the revoked key's are not.)
        expect(audit.out).not.toContain(`cannot be trusted: it names the key ${k1Key}`);
        // The Evidence page no longer lists it among the earlier keys.
        const shown = await getSigningKey(await personActor("auditor@example.com"));
        expect(shown.retired.map((r) => r.fingerprint)).not.toContain(k1Key);
        expect(shown.revoked).toEqual([
          { fingerprint: k1Key, reason: "private key found on a file share, 2026-12-06" },
        ]);
        expect(shown.strangers).toEqual([]);
        // A last entry that is not a number stops the installation, naming the setting.
        fs.writeFileSync(retired, `ApiLedger-Last-Entry: =1+1\n${publicPem(k1!)}`);
        const start = runCli("lib/cli/audit-verify.ts", [], env());
        expect(start.code).not.toBe(0);
        expect(start.out).toContain('"ApiLedger-Last-Entry:" must be followed by an audit entry\'s number');
      } finally {
        delete process.env.APILEDGER_SIGNING_KEY_FILE;
        delete process.env.APILEDGER_SIGNING_RETIRED_KEYS_FILE;
      }
    });

    it("a configured key: after the operator replaces it, a stray key shows, and the retired key's checkpoint still catches a log cut back", async () => {
      const [k1, k2, stray] = ["k1.pem", "k2.pem", "stray.pem"].map((f) => path.join(dir, f));
      for (const f of [k1, k2, stray]) ed25519(f!);
      process.env.APILEDGER_SIGNING_KEY_FILE = k1;
      expect(await makeCheckpoint("export")).not.toBeNull();
      // The rotation refuses to touch a configured key and says how it is done.
      const refused = runCli("lib/cli/signing-key-rotate.ts", [], env());
      expect(refused.code).toBe(1);
      expect(refused.out).toContain("openssl genpkey -algorithm ed25519");

      // The operator's rotation: a new key file, the old public key kept in the retired file.
      const retired = path.join(dir, "retired.pem");
      fs.writeFileSync(retired, publicPem(k1!));
      process.env.APILEDGER_SIGNING_KEY_FILE = k2;
      process.env.APILEDGER_SIGNING_RETIRED_KEYS_FILE = retired;

      // An instance that signs with a key of its own shows on the Evidence page.
      process.env.APILEDGER_SIGNING_KEY_FILE = stray;
      await makeCheckpoint("export");
      process.env.APILEDGER_SIGNING_KEY_FILE = k2;
      const shown = await getSigningKey(await personActor("auditor@example.com"));
      expect(shown.fingerprint).toBe(keyFingerprint(publicPem(k2!)));
      expect(shown.retired.map((r) => r.fingerprint)).toContain(keyFingerprint(publicPem(k1!)));
      // (The revoked-key test's key, no longer configured, shows too: only the stray key is asserted.)
      expect(shown.strangers.map((s) => s.fingerprint)).toContain(keyFingerprint(publicPem(stray!)));
      expect(shown.strangers.map((s) => s.fingerprint)).not.toContain(keyFingerprint(publicPem(k2!)));

      // Someone with the database cuts the log back to before the first key's checkpoint.
      const covered = await db.auditCheckpoint.findFirstOrThrow({
        where: { fingerprint: keyFingerprint(publicPem(k1!)) },
        orderBy: { seq: "desc" },
      });
      await asDatabaseAdmin(database, ['DELETE FROM "AuditEntry" WHERE seq >= ?'], [[covered.seq]]);
      await expect(makeCheckpoint("export")).rejects.toThrow(/entries were deleted/);
    });
  });
}

/** The bundle as one without an audit-log checkpoint, its manifest and SHA256SUMS signed again with `signer`. */
async function withoutCheckpoint(from: string, to: string, signer: (data: Buffer) => Buffer): Promise<void> {
  const entries = await readZip(from);
  const drop = new Set([
    CHECKPOINT_TEXT_FILE,
    CHECKPOINT_SIG_FILE,
    "manifest.json.sig",
    "SHA256SUMS",
    "SHA256SUMS.sig",
  ]);
  const manifest = JSON.parse(entries.get("manifest.json")!.toString("utf8")) as {
    auditCheckpoint?: unknown;
    files: { path: string; sha256: string }[];
  };
  delete manifest.auditCheckpoint;
  manifest.files = manifest.files.filter((f) => !drop.has(f.path));
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  const sums = Buffer.from(checksumFile([...manifest.files, { path: "manifest.json", sha256: sha256(manifestBytes) }]));
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of entries) if (!drop.has(name) && name !== "manifest.json") zip.addBuffer(bytes, name);
  zip.addBuffer(manifestBytes, "manifest.json");
  zip.addBuffer(signer(manifestBytes), "manifest.json.sig");
  zip.addBuffer(sums, "SHA256SUMS");
  zip.addBuffer(signer(sums), "SHA256SUMS.sig");
  zip.end();
  await pipeline(zip.outputStream, fs.createWriteStream(to));
}
