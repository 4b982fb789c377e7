// Finding 2, as the attacks a database administrator can make with plain SQL: delete the last entries,
// delete every entry, rewrite entry N and recompute every hash after it (the code is open, so they can).
// The hash chain alone passes all three; the signed checkpoints kept outside the database must not.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor, Role } from "@/lib/authz/policy";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { entryHash } from "@/lib/audit/chain";
import { makeCheckpoint } from "@/lib/checkpoints/make-checkpoint";
import { checkpointFilePath, readCheckpointLines } from "@/lib/audit/checkpoint-file";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { signingKey } from "@/lib/signing/key";

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `audit checkpoints against a DBA on ${provider}`,
    () => {
      let database: TestDatabase;
      let dir: string;
      let auditor: Actor;
      const year = String(new Date().getUTCFullYear());

      const dba = (statements: string[], params: unknown[][] = []) => asDatabaseAdmin(database, statements, params);
      const auditVerify = (args: string[] = [], dataDir = dir) => {
        const r = spawnSync(
          process.execPath,
          ["--import", "tsx", "--conditions=react-server", "lib/cli/audit-verify.ts", ...args],
          { env: { ...process.env, DATABASE_URL: database.url, APILEDGER_DATA_DIR: dataDir }, encoding: "utf8" },
        );
        return { code: r.status, out: r.stdout + r.stderr };
      };
      const someWrites = async (n: number) => {
        for (let i = 0; i < n; i++) {
          await authorizedWrite({ actor: auditor }, { permission: "evidence:export" }, async (_tx, audit) =>
            audit({ action: "test.write", targetType: "test", targetId: String(i), summary: `write ${i}` }),
          );
        }
      };
      const head = async () => (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;

      beforeAll(async () => {
        database = await useTestDatabase(provider);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-checkpoints-"));
        process.env.APILEDGER_DATA_DIR = dir;
        await seedDemo();
        const u = await db.user.findUniqueOrThrow({ where: { email: "auditor@example.com" } });
        auditor = { kind: "user", id: u.id, email: u.email, role: u.role as Role, teamId: u.teamId };
        // The untouched state every attack starts from, kept aside as a DBA's backup would be.
        await dba([
          'CREATE TABLE "EntryBackup" AS SELECT * FROM "AuditEntry"',
          'CREATE TABLE "CheckpointBackup" AS SELECT * FROM "AuditCheckpoint"',
        ]);
      });
      beforeEach(async () => {
        await dba([
          'DELETE FROM "AuditEntry"',
          'INSERT INTO "AuditEntry" SELECT * FROM "EntryBackup"',
          'DELETE FROM "AuditCheckpoint"',
          'INSERT INTO "AuditCheckpoint" SELECT * FROM "CheckpointBackup"',
        ]);
        fs.rmSync(checkpointFilePath(), { force: true });
      });
      afterAll(async () => {
        delete process.env.APILEDGER_DATA_DIR;
        await database?.drop();
      });

      it("signs a checkpoint of the whole log, stores it, appends it to the file, and audit:verify passes against it", async () => {
        await someWrites(3);
        const checkpoint = (await makeCheckpoint("interval"))!;
        expect(checkpoint.seq).toBe(await head());
        expect(checkpoint.installation).toBe(signingKey().fingerprint);
        expect(await db.auditCheckpoint.findUniqueOrThrow({ where: { seq: checkpoint.seq } })).toMatchObject({
          text: checkpoint.text,
          signature: checkpoint.signature,
        });
        expect(readCheckpointLines()).toEqual([{ text: checkpoint.text, signature: checkpoint.signature }]);
        // Nothing new since: the interval run signs nothing.
        expect(await makeCheckpoint("interval")).toBeNull();
        const r = auditVerify();
        expect(r.out).toMatch(/Checked against 1 signed checkpoint\(s\)/);
        expect(r.out).toMatch(/Audit log intact\./);
        expect(r.code).toBe(0);
      });

      it("fails on deleting the last entries (and the stored checkpoints), and refuses the next checkpoint with an alert", async () => {
        await someWrites(3);
        const checkpoint = (await makeCheckpoint("interval"))!;
        await someWrites(2);
        await dba(
          ['DELETE FROM "AuditEntry" WHERE "seq" > ?', 'DELETE FROM "AuditCheckpoint"'],
          [[checkpoint.seq - 3]],
        );
        const r = auditVerify();
        expect(r.code).toBe(1);
        expect(r.out).toMatch(/Hash chain intact/);
        expect(r.out).toMatch(
          new RegExp(
            `the log ends at entry ${checkpoint.seq - 3}, but the checkpoint signed .* covers entries up to ${checkpoint.seq}: entries were deleted from the end of the log`,
          ),
        );
        expect(r.out).toMatch(/Audit log NOT intact/);
        await expect(makeCheckpoint("interval")).rejects.toMatchObject({
          code: "CONFLICT",
          message: expect.stringMatching(
            /not consistent with the latest checkpoint outside the database .*entries were deleted/,
          ),
        });
        expect(await db.auditCheckpoint.count()).toBe(0);
        const alerts = await db.notification.findMany({ where: { kind: "audit-tamper" } });
        const admins = await db.user.count({ where: { role: "ADMIN", isActive: true, isServiceAccount: false } });
        expect(alerts).toHaveLength(admins);
        expect(await db.auditEntry.count({ where: { action: "audit.checkpoint-refused" } })).toBe(1);
      });

      it("fails on deleting every entry", async () => {
        await makeCheckpoint("interval");
        await dba(['DELETE FROM "AuditEntry"', 'DELETE FROM "AuditCheckpoint"']);
        const r = auditVerify();
        expect(r.code).toBe(1);
        expect(r.out).toMatch(/the log ends at entry \(none: it is empty\), but the checkpoint signed/);
      });

      it("fails on rewriting entry N and recomputing every hash after it — against the file, and against a bundle an auditor kept", async () => {
        await someWrites(2);
        const bundle = path.join(dir, "kept.zip");
        await exportEvidenceBundle({ actor: auditor }, { period: year }, fs.createWriteStream(bundle));
        // The forger's rewrite: change entry N (the tenth from the end), then recompute every hash from N on,
        // as the open code does. (Sequence numbers can have gaps, so N is taken from the stored entries.)
        const entries = (await db.auditEntry.findMany({ orderBy: { seq: "desc" }, take: 10 })).reverse();
        const target = entries[0]!.seq;
        let prevHash = entries[0]!.prevHash;
        const statements: string[] = [];
        const params: unknown[][] = [];
        for (const e of entries) {
          const fields = {
            at: e.at,
            actorId: e.actorId,
            actorEmail: e.actorEmail,
            action: e.action,
            targetType: e.targetType,
            targetId: e.targetId,
            summary: e.seq === target ? "nothing to see here" : e.summary,
            diff: e.diff,
            ip: e.ip,
            prevHash,
          };
          const hash = entryHash(fields);
          statements.push('UPDATE "AuditEntry" SET "summary" = ?, "prevHash" = ?, "hash" = ? WHERE "seq" = ?');
          params.push([fields.summary, prevHash, hash, e.seq]);
          prevHash = hash;
        }
        statements.push('DELETE FROM "AuditCheckpoint"');
        await dba(statements, params);
        // Without a witness the rewrite is invisible: the chain is consistent.
        const blind = auditVerify(["--no-file"]);
        expect(blind.out).toMatch(/Hash chain intact/);
        expect(blind.out).toMatch(/No signed checkpoint was available/);
        expect(blind.code).toBe(0);
        const withFile = auditVerify();
        expect(withFile.code, withFile.out).toBe(1);
        expect(withFile.out).toMatch(/the log was rewritten at or before entry/);
        // The auditor's own copy: the checkpoint in a bundle they kept, trusted by the fingerprint they were
        // given (run where the installation's secrets are not, so only that fingerprint makes it trusted).
        const elsewhere = path.join(dir, "auditor");
        const withBundle = auditVerify(
          ["--no-file", "--checkpoint", bundle, "--fingerprint", signingKey().fingerprint],
          elsewhere,
        );
        expect(withBundle.code).toBe(1);
        expect(withBundle.out).toMatch(
          new RegExp(
            `but the checkpoint signed .* \\(from ${bundle.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\) says .*: the log was rewritten`,
          ),
        );
        // A bundle's checkpoint is not believed on its own key alone.
        const untrusted = auditVerify(
          ["--no-file", "--checkpoint", bundle, "--fingerprint", "0".repeat(64)],
          elsewhere,
        );
        expect(untrusted.out).toMatch(
          /checkpoint 1 in .*kept\.zip cannot be trusted: it names the key .*, which is not a key you trust/,
        );
        expect(untrusted.code).toBe(1);
      });

      it("does not believe a checkpoint the DBA wrote into the table", async () => {
        const real = (await makeCheckpoint("interval"))!;
        const forged = real.text.replace(/seq=\d+/, `seq=${real.seq + 50}`);
        await dba(
          [
            'INSERT INTO "AuditCheckpoint" ("seq", "headHash", "at", "fingerprint", "reason", "text", "signature") VALUES (?, ?, ?, ?, ?, ?, ?)',
          ],
          [
            [
              real.seq + 50,
              real.head,
              provider === "sqlite" ? real.time.toISOString() : real.time,
              real.installation,
              "interval",
              forged,
              real.signature,
            ],
          ],
        );
        const r = auditVerify();
        expect(r.code).toBe(1);
        expect(r.out).toMatch(/checkpoint 2 in the database cannot be trusted: its signature does not verify/);
      });
    },
  );
}
