// Finding 18 and the export hardening, as the attacks: `npm run evidence:export` killed right after its
// custody entry; a person queueing exports without end; a requester deactivated while their export runs.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { custodyOutcomes } from "@/lib/evidence/custody";
import { MAX_OPEN_EXPORTS_PER_PERSON, requestEvidenceExport, startExportBuilder } from "@/lib/evidence/export-jobs";
import { getEvidenceExport } from "@/lib/evidence/queries";
import { updateUser } from "@/lib/users/update-user";
import { personActor } from "@/lib/testing/actors";

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `evidence export custody on ${provider}`,
    () => {
      let database: TestDatabase;
      let builder: { stop: () => Promise<void> } | undefined;
      let dir: string;
      const year = String(new Date().getUTCFullYear());
      const cli = (out: string, env: Record<string, string> = {}) =>
        spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            "--conditions=react-server",
            "lib/cli/evidence-export.ts",
            "--period",
            year,
            "--out",
            out,
          ],
          {
            env: { ...process.env, DATABASE_URL: database.url, APILEDGER_DATA_DIR: dir, ...env },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
      /** Runs the export until it has written its custody entry, then sends the signal. */
      const killAfterCustody = (out: string, signal: NodeJS.Signals) =>
        new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
          const child = cli(out, { APILEDGER_FAILPOINT: "evidence-export:after-custody" });
          let stderr = "";
          child.stderr.on("data", (d: Buffer) => {
            stderr += d;
            if (stderr.includes("failpoint evidence-export:after-custody reached")) child.kill(signal);
          });
          child.on("exit", (code, sig) => resolve({ code, signal: sig, stderr }));
        });
      const exportEntries = () =>
        db.auditEntry.findMany({ where: { action: "evidence.export" }, orderBy: { seq: "asc" } });

      beforeAll(async () => {
        database = await useTestDatabase(provider);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-custody-"));
        process.env.APILEDGER_DATA_DIR = dir;
        await seedDemo();
        // This process builds the exports it queues, as a server running the jobs does.
        builder = startExportBuilder(() => {});
      });
      afterAll(async () => {
        await builder?.stop();
        delete process.env.APILEDGER_DATA_DIR;
        await database?.drop();
      });

      it("SIGKILL right after the custody entry: the entry shows as interrupted, no bundle, the partial file 0600 and replaced by the next export", async () => {
        const out = path.join(dir, "killed.zip");
        const run = await killAfterCustody(out, "SIGKILL");
        expect(run.signal).toBe("SIGKILL");
        const [custody] = await exportEntries();
        expect(custody).toBeDefined();
        expect((await custodyOutcomes([custody!.targetId])).get(custody!.targetId)).toEqual({ status: "none" });
        expect(fs.existsSync(out)).toBe(false);
        expect(fs.statSync(`${out}.partial`).mode & 0o777).toBe(0o600);
        // The next export to the same path says what it replaces, and leaves the bundle alone.
        const again = spawnSync(
          process.execPath,
          [
            "--import",
            "tsx",
            "--conditions=react-server",
            "lib/cli/evidence-export.ts",
            "--period",
            year,
            "--out",
            out,
          ],
          { env: { ...process.env, DATABASE_URL: database.url, APILEDGER_DATA_DIR: dir }, encoding: "utf8" },
        );
        expect(again.status, again.stderr).toBe(0);
        expect(again.stderr).toContain(`replacing ${out}.partial, left by an export that was interrupted`);
        expect(fs.existsSync(`${out}.partial`)).toBe(false);
        expect(fs.statSync(out).mode & 0o777).toBe(0o600);
      });

      it("SIGTERM right after the custody entry: the failure is recorded with its reason and the partial file removed", async () => {
        const out = path.join(dir, "terminated.zip");
        const run = await killAfterCustody(out, "SIGTERM");
        expect(run.code).toBe(1);
        const custody = (await exportEntries()).at(-1)!;
        expect((await custodyOutcomes([custody.targetId])).get(custody.targetId)).toEqual({
          status: "failed",
          reason: "interrupted by SIGTERM",
        });
        expect(fs.existsSync(`${out}.partial`)).toBe(false);
      });

      it("a finished export records that its bundle was stored, as the server does", async () => {
        const out = path.join(dir, "done.zip");
        const r = spawnSync(
          process.execPath,
          [
            "--import",
            "tsx",
            "--conditions=react-server",
            "lib/cli/evidence-export.ts",
            "--period",
            year,
            "--out",
            out,
          ],
          { env: { ...process.env, DATABASE_URL: database.url, APILEDGER_DATA_DIR: dir }, encoding: "utf8" },
        );
        expect(r.status, r.stderr).toBe(0);
        const custody = (await exportEntries()).at(-1)!;
        expect((await custodyOutcomes([custody.targetId])).get(custody.targetId)).toEqual({ status: "stored" });
        const stored = await db.auditEntry.findFirstOrThrow({
          where: { action: "evidence.export-stored", targetId: custody.targetId },
        });
        expect(stored.seq).toBeGreaterThan(custody.seq);
        expect(fs.statSync(out).mode & 0o777).toBe(0o600);
      });

      it("refuses more than the per-person limit of open exports with a rate-limit error (429), writing nothing", async () => {
        const auditor = await personActor("auditor@example.com");
        const ids: string[] = [];
        for (let i = 0; i < MAX_OPEN_EXPORTS_PER_PERSON; i++)
          ids.push((await requestEvidenceExport({ actor: auditor }, { period: year })).id);
        const before = await db.auditEntry.count();
        const refused = requestEvidenceExport({ actor: auditor }, { period: year });
        await expect(refused).rejects.toMatchObject({
          code: "RATE_LIMITED",
          status: 429,
          message: expect.stringMatching(/already have 2 evidence exports queued or running/),
        });
        expect(await db.auditEntry.count()).toBe(before);
        // Someone else is not held up by it.
        const admin = await personActor("admin@example.com");
        ids.push((await requestEvidenceExport({ actor: admin }, { period: year })).id);
        for (const id of ids) await waitForEnd(admin, id);
        // Once they finish, the auditor may export again.
        await waitForEnd(auditor, (await requestEvidenceExport({ actor: auditor }, { period: year })).id);
      });

      it("stops an export, failed with the reason and no custody entry, when its requester is deactivated while it runs", async () => {
        const admin = await personActor("admin@example.com");
        const auditor = await personActor("auditor@example.com");
        const custodyBefore = (await exportEntries()).length;
        const { id } = await requestEvidenceExport({ actor: auditor }, { period: year });
        const user = await db.user.findUniqueOrThrow({ where: { id: auditor.id! } });
        await updateUser({ actor: admin }, user.id, {
          name: user.name,
          role: user.role,
          teamId: user.teamId ?? "",
          isActive: false,
        });
        const job = await waitForEnd(admin, id);
        expect(job).toMatchObject({
          status: "FAILED",
          error: expect.stringMatching(/deactivated while the export ran/),
        });
        expect((await exportEntries()).length).toBe(custodyBefore);
        const partials = fs.existsSync(path.join(dir, "evidence")) ? fs.readdirSync(path.join(dir, "evidence")) : [];
        expect(partials.filter((f) => f.startsWith(id))).toEqual([]);
      });
    },
  );
}

async function waitForEnd(actor: Actor, id: string) {
  let job = await getEvidenceExport(actor, id);
  for (let i = 0; job.status === "RUNNING" && i < 600; i++) {
    await new Promise((r) => setTimeout(r, 50));
    job = await getEvidenceExport(actor, id);
  }
  return job;
}
