// npm run backup and npm run restore, as an operator runs them, on both databases: the restored
// installation passes audit:verify, a bundle exported before the backup verifies with the restored
// installation's key, its latest checkpoint is the one backed up, and its files are byte for byte the same.
// A damaged backup, and a restore over an installation, are refused.
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
