// npm run backup and npm run restore, as an operator runs them, on both databases: the restored
// installation passes audit:verify, a bundle exported before the backup verifies with the restored
// installation's key, its latest checkpoint is the one backed up, and its files are byte for byte the same.
// A damaged backup, and a restore over an installation, are refused.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "@/lib/testing/run-cli";
import { createTestDatabase, isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { makeCheckpoint } from "@/lib/checkpoints/make-checkpoint";
import { createDocument } from "@/lib/documents/create-document";
import { addDocumentVersion } from "@/lib/documents/add-version";
import { personActor } from "@/lib/testing/actors";
import { readZip, writeZip } from "@/lib/testing/read-zip";
import { signingKey } from "@/lib/signing/key";
import pg from "pg";

const pdf = Buffer.concat([
  Buffer.from("%PDF-1.7\n1 0 obj\n<< /Title (policy) >>\nendobj\n"),
  randomBytes(200_000),
  Buffer.from("\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
]);

/** An empty database of the same kind, as an operator creates one to restore into. */
async function emptyDatabase(
  provider: "sqlite" | "postgres",
  dir: string,
  file = "restored",
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (provider === "sqlite") return { url: `file:${path.join(dir, `${file}.db`)}`, drop: async () => {} };
  const name = `apiledger_restore_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`backup and restore on ${provider}`, () => {
    let database: TestDatabase;
    let dir: string;
    let restored: { url: string; drop: () => Promise<void> };
    const saved = { ...process.env };
    const original = () => ({ ...process.env, DATABASE_URL: database.url, APILEDGER_DATA_DIR: path.join(dir, "a") });
    const target = () => ({ ...process.env, DATABASE_URL: restored.url, APILEDGER_DATA_DIR: path.join(dir, "b") });

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-backup-"));
      process.env.APILEDGER_DATA_DIR = path.join(dir, "a");
      await seedDemo();
      const manager = await personActor("manager@example.com");
      const { id } = await createDocument(
        { actor: manager },
        { kind: "API_SECURITY_STANDARD", title: "API security standard", description: "" },
      );
      await addDocumentVersion(
        { actor: manager },
        id,
        {
          label: "1.0",
          changeNote: "First issue.",
          body: "",
          effectiveDate: "2026-11-01",
          nextReviewDate: "2027-11-01",
        },
        { name: "standard.pdf", bytes: pdf },
      );
      await exportEvidenceBundle(
        { actor: await personActor("auditor@example.com") },
        { period: String(new Date().getUTCFullYear()) },
        fs.createWriteStream(path.join(dir, "bundle.zip")),
      );
      await makeCheckpoint("interval");
      restored = await emptyDatabase(provider, dir);
    });
    afterAll(async () => {
      process.env = saved;
      await restored?.drop();
      await database?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("a restored installation passes audit:verify, verifies its old bundle with its key, and holds the same files and checkpoint", async () => {
      const file = path.join(dir, "backup.zip");
      const backup = runCli("lib/cli/backup.ts", ["--out", file], original());
      expect(backup.out).toContain(`Backed up the ${provider === "sqlite" ? "SQLite" : "PostgreSQL"} database`);
      expect(backup.code).toBe(0);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const latest = await db.auditCheckpoint.findFirstOrThrow({ orderBy: { seq: "desc" } });
      const blob = await db.storedFile.findFirstOrThrow();

      const restore = runCli("lib/cli/restore.ts", [file], target());
      expect(restore.out).toContain("Restored the backup");
      expect(restore.code).toBe(0);

      const audit = runCli("lib/cli/audit-verify.ts", [], target());
      expect(audit.out).toContain("Audit log intact.");
      expect(audit.out).toContain(`the latest covers entries up to ${latest.seq}`);
      expect(audit.code).toBe(0);
      // The bundle exported before the backup verifies with the restored installation's key, found on its own.
      const bundle = runCli("lib/cli/evidence-verify.ts", [path.join(dir, "bundle.zip")], target());
      expect(bundle.out).toContain(`signed by the key ${signingKey().fingerprint}`);
      expect(bundle.code).toBe(0);
      // The uploaded policy document is there, byte for byte.
      const stored = path.join(dir, "b", "files", blob.sha256.slice(0, 2), blob.sha256);
      expect(fs.readFileSync(stored).equals(pdf)).toBe(true);

      // A restore over an installation is refused, and changes nothing.
      const again = runCli("lib/cli/restore.ts", [file], target());
      expect(again.code).toBe(1);
      expect(again.out).toMatch(/restore refused: .*(exists|has tables)/);
      expect(fs.readFileSync(stored).equals(pdf)).toBe(true);
    });

    it("restored from an older backup beside the installation's checkpoint file, the rollback is reported by audit:verify", async () => {
      // The backup is taken, then the installation goes on and signs a later checkpoint into its file.
      const file = path.join(dir, "older.zip");
      expect(runCli("lib/cli/backup.ts", ["--out", file, "--without-secrets"], original()).code).toBe(0);
      expect([...(await readZip(file)).keys()]).not.toContain("data/secrets.json");
      const manager = await personActor("manager@example.com");
      await createDocument(
        { actor: manager },
        { kind: "INCIDENT_PROCEDURE", title: "After the backup", description: "" },
      );
      const later = (await makeCheckpoint("export"))!;
      // The checkpoint file lives outside the data folder, where the restore finds it and keeps it.
      const outside = path.join(dir, "outside-checkpoints.log");
      fs.copyFileSync(path.join(dir, "a", "audit-checkpoints.log"), outside);
      const into = await emptyDatabase(provider, dir, "rolled-back");
      const env = {
        ...process.env,
        DATABASE_URL: into.url,
        APILEDGER_DATA_DIR: path.join(dir, "d"),
        APILEDGER_CHECKPOINT_FILE: outside,
        // The operator restores the secrets file they kept apart.
      };
      fs.mkdirSync(path.join(dir, "d"));
      const restore = runCli("lib/cli/restore.ts", [file], env);
      expect(restore.out).toContain(`kept the checkpoint file ${outside}`);
      expect(restore.code).toBe(0);
      fs.copyFileSync(path.join(dir, "a", "secrets.json"), path.join(dir, "d", "secrets.json"));
      const audit = runCli("lib/cli/audit-verify.ts", [], env);
      expect(audit.code).toBe(1);
      expect(audit.out).toMatch(
        new RegExp(`covers entries up to ${later.seq}: entries were deleted from the end of the log`),
      );
      await into.drop();
    });

    it("an encrypted backup is readable only with its age key: the age tool decrypts it, and so does restore", async () => {
      // Keys made by the age tool itself, as an operator makes them.
      const keys = path.join(dir, "age");
      fs.mkdirSync(keys);
      const keygen = (name: string) => {
        execFileSync("age-keygen", ["-o", path.join(keys, name)], { stdio: "ignore" });
        return execFileSync("age-keygen", ["-y", path.join(keys, name)], { encoding: "utf8" }).trim();
      };
      const recipient = keygen("key.txt");
      keygen("other.txt");
      fs.writeFileSync(path.join(keys, "recipients.txt"), `# the backup officer\n${recipient}\n`);
      const file = path.join(dir, "encrypted.age");
      const backup = runCli(
        "lib/cli/backup.ts",
        ["--out", file, "--recipients-file", path.join(keys, "recipients.txt")],
        original(),
      );
      expect(backup.out).toContain("encrypted with age to 1 recipient(s)");
      expect(backup.code).toBe(0);
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(0, 22).toString()).toBe("age-encryption.org/v1\n");
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      // Nothing of the ZIP shows through: no entry names, no signing key.
      expect(bytes.includes(Buffer.from("secrets.json"))).toBe(false);
      expect(bytes.includes(Buffer.from("PRIVATE KEY"))).toBe(false);
      // The age tool reads it without the app: the ZIP inside is the backup, secrets and all.
      const plain = path.join(dir, "decrypted-by-age.zip");
      execFileSync("age", ["-d", "-i", path.join(keys, "key.txt"), "-o", plain, file]);
      const inside = await readZip(plain);
      expect([...inside.keys()]).toEqual(expect.arrayContaining(["backup.json", "data/secrets.json"]));

      const into = await emptyDatabase(provider, dir, "from-encrypted");
      const env = { ...process.env, DATABASE_URL: into.url, APILEDGER_DATA_DIR: path.join(dir, "e") };
      // Without a key, with the wrong key, or changed by one byte: refused in words, nothing placed.
      const none = runCli("lib/cli/restore.ts", [file], env);
      expect(none.code).toBe(1);
      expect(none.out).toContain(
        "is encrypted (age): give the private key it was encrypted to with --identity KEYFILE",
      );
      const wrong = runCli("lib/cli/restore.ts", [file, "--identity", path.join(keys, "other.txt")], env);
      expect(wrong.code).toBe(1);
      expect(wrong.out).toContain("None of the identity file's keys is one the backup was encrypted to.");
      const changed = Buffer.from(bytes);
      changed[changed.length - 5_000] = changed[changed.length - 5_000]! ^ 1;
      fs.writeFileSync(path.join(dir, "changed.age"), changed);
      const tampered = runCli(
        "lib/cli/restore.ts",
        [path.join(dir, "changed.age"), "--identity", path.join(keys, "key.txt")],
        env,
      );
      expect(tampered.code).toBe(1);
      expect(tampered.out).toContain("The encrypted backup cannot be decrypted: it is damaged or was changed");
      expect(fs.existsSync(path.join(dir, "e", "secrets.json"))).toBe(false);
      // A private key file that is not one is refused without echoing its lines.
      fs.writeFileSync(path.join(keys, "bad.txt"), "AGE-SECRET-KEY-1\u202eoops\n");
      const bad = runCli("lib/cli/restore.ts", [file, "--identity", path.join(keys, "bad.txt")], env);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/bad\.txt, line 1: not an age identity/);
      expect(bad.out).not.toContain("oops");

      const restore = runCli("lib/cli/restore.ts", [file, "--identity", path.join(keys, "key.txt")], env);
      expect(restore.out).toContain("Restored the backup");
      expect(restore.code).toBe(0);
      const audit = runCli("lib/cli/audit-verify.ts", [], env);
      expect(audit.out).toContain("Audit log intact.");
      expect(audit.code).toBe(0);
      // No decrypted copy is left behind.
      expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("apiledger-decrypted-"))).toEqual([]);
      await into.drop();

      // The other way: a plain backup encrypted by the age tool restores with the same key.
      const byAge = path.join(dir, "by-age.age");
      execFileSync("age", ["-r", recipient, "-o", byAge, path.join(dir, "backup.zip")]);
      const again = await emptyDatabase(provider, dir, "from-age-tool");
      const env2 = { ...process.env, DATABASE_URL: again.url, APILEDGER_DATA_DIR: path.join(dir, "f") };
      const restored2 = runCli("lib/cli/restore.ts", [byAge, "--identity", path.join(keys, "key.txt")], env2);
      expect(restored2.out).toContain("Restored the backup");
      expect(restored2.code).toBe(0);
      await again.drop();

      // An empty recipient (an unset variable in a cron line) stops the backup rather than writing it in the clear.
      const empty = runCli("lib/cli/backup.ts", ["--out", path.join(dir, "empty.age"), "--recipient", ""], original());
      expect(empty.code).toBe(1);
      expect(empty.out).toContain("--recipient was given without a value: nothing was written");
      expect(fs.existsSync(path.join(dir, "empty.age"))).toBe(false);
      // A recipient that is not one stops the backup before anything is written.
      const typo = runCli(
        "lib/cli/backup.ts",
        ["--out", path.join(dir, "typo.age"), "--recipient", "age1nope"],
        original(),
      );
      expect(typo.code).toBe(1);
      expect(typo.out).toContain("is not a valid age recipient");
      expect(fs.existsSync(path.join(dir, "typo.age"))).toBe(false);
    });

    it("a damaged backup is refused and leaves no installation behind", async () => {
      const file = path.join(dir, "backup.zip");
      const files = await readZip(file);
      const name = [...files.keys()].find((n) => n.startsWith("data/files/"))!;
      const bytes = Buffer.from(files.get(name)!);
      bytes[100] = bytes[100]! ^ 0xff;
      files.set(name, bytes);
      const damaged = path.join(dir, "damaged.zip");
      await writeZip(files, damaged);
      const fresh = await createTestDatabase(provider);
      // A SQLite restore needs a file that does not exist yet.
      const url = provider === "sqlite" ? `file:${path.join(dir, "fresh.db")}` : await emptyPostgres(fresh);
      const into = { ...process.env, DATABASE_URL: url, APILEDGER_DATA_DIR: path.join(dir, "c") };
      const result = runCli("lib/cli/restore.ts", [damaged], into);
      expect(result.code).toBe(1);
      expect(result.out).toContain(`${name} does not match its SHA-256 in backup.json: the backup is damaged`);
      expect(fs.existsSync(path.join(dir, "c", "secrets.json"))).toBe(false);
      expect(fs.existsSync(path.join(dir, "fresh.db"))).toBe(false);
      await fresh.drop();
    });
  });
}

/** A migrated test database emptied of its tables (restore wants an empty one). */
async function emptyPostgres(database: TestDatabase): Promise<string> {
  const c = new pg.Client({ connectionString: database.url });
  await c.connect();
  await c.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  await c.end();
  return database.url;
}
