import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { createDocument } from "@/lib/documents/create-document";
import { addDocumentVersion } from "@/lib/documents/add-version";
import { approveDocumentVersion } from "@/lib/documents/approve-version";
import { withdrawDocumentVersion } from "@/lib/documents/withdraw-version";
import { getDocument, getDocumentGaps, getVersionFile, listDocuments } from "@/lib/documents/queries";
import { parseDocumentView } from "@/lib/documents/list-view";
import { downloadResponse } from "@/lib/storage/download-response";
import { todayInput } from "@/lib/input/date-input";
import { resolveScope } from "@/lib/evidence/scope";
import { recordTables } from "@/lib/evidence/record-tables";
import { personActor } from "@/lib/testing/actors";

const pdf = (text: string) =>
  Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Title (${text}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
const details = {
  label: "3.0",
  changeNote: "Adds mutual TLS for partner APIs.",
  body: "",
  effectiveDate: "2026-11-01",
  nextReviewDate: "2027-11-01",
};
const filesIn = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
    : [];

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `policies and procedures on ${provider}`,
    () => {
      let database: TestDatabase;
      let dataDir: string;
      let admin: Actor, manager: Actor, owner: Actor, auditor: Actor;
      let docId: string;
      beforeAll(async () => {
        database = await useTestDatabase(provider);
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-files-"));
        process.env.APILEDGER_DATA_DIR = dataDir;
        await seedDemo();
        admin = await personActor("admin@example.com");
        manager = await personActor("manager@example.com");
        owner = await personActor("owner@example.com");
        auditor = await personActor("auditor@example.com");
      });
      afterAll(async () => {
        delete process.env.APILEDGER_DATA_DIR;
        delete process.env.APILEDGER_MAX_UPLOAD_MB;
        fs.rmSync(dataDir, { recursive: true, force: true });
        await database?.drop();
      });

      it("registers a document; only managers and admins may, with field errors for bad input", async () => {
        await expect(
          createDocument({ actor: owner }, { kind: "ACCESS_CONTROL_POLICY", title: "X", description: "" }),
        ).rejects.toMatchObject({ code: "FORBIDDEN" });
        await expect(
          createDocument({ actor: manager }, { kind: "MEMO", title: " ", description: "" }),
        ).rejects.toMatchObject({ fieldErrors: { kind: ["Choose a document kind."], title: ["Title is required."] } });
        ({ id: docId } = await createDocument(
          { actor: manager },
          {
            kind: "API_SECURITY_STANDARD",
            title: "API security standard",
            description: "How internal APIs authenticate and authorise clients.",
          },
        ));
        expect((await listDocuments(auditor, parseDocumentView({}))).rows.find((d) => d.id === docId)).toMatchObject({
          state: "no-approved-version",
          pendingDrafts: 0,
        });
      });

      it("refuses a hostile file name, HTML posing as a PDF and an oversized file — each with a message, nothing stored", async () => {
        const before = {
          versions: await db.documentVersion.count(),
          files: await db.storedFile.count(),
          audit: await db.auditEntry.count(),
        };
        const attempt = (name: string, bytes: Uint8Array) =>
          addDocumentVersion({ actor: manager }, docId, details, { name, bytes }).then(
            () => "stored",
            (e: { fieldErrors: { file?: string[] } }) => e.fieldErrors.file?.[0],
          );
        expect(await attempt("../../../../etc/cron.d/policy.pdf", pdf("x"))).toMatch(/cannot be in a file name/);
        expect(
          await attempt(
            "standard.pdf",
            Buffer.from("<html><body><script>document.location='https://evil.example'</script></body></html>"),
          ),
        ).toMatch(/named \.pdf but its content is not a PDF file \(it looks like an HTML or XML page\)/);
        process.env.APILEDGER_MAX_UPLOAD_MB = "1";
        expect(await attempt("standard.pdf", Buffer.concat([pdf("big"), Buffer.alloc(1048576)]))).toMatch(
          /^The file is 1\.0 MB; the limit is 1\.0 MB\.$|^The file is 1\.\d MB; the limit is 1\.0 MB\.$/,
        );
        delete process.env.APILEDGER_MAX_UPLOAD_MB;
        await expect(
          addDocumentVersion(
            { actor: manager },
            docId,
            { ...details, nextReviewDate: "2026-10-01" },
            { name: "ok.pdf", bytes: pdf("ok") },
          ),
        ).rejects.toMatchObject({
          fieldErrors: { nextReviewDate: ["The next review must be after the effective date."] },
        });
        await expect(addDocumentVersion({ actor: manager }, docId, details, null)).rejects.toMatchObject({
          fieldErrors: { file: ["Upload a file, or write the text below."] },
        });
        await expect(
          addDocumentVersion({ actor: owner }, docId, details, { name: "ok.pdf", bytes: pdf("ok") }),
        ).rejects.toMatchObject({ code: "FORBIDDEN" });
        expect({
          versions: await db.documentVersion.count(),
          files: await db.storedFile.count(),
          audit: await db.auditEntry.count(),
        }).toEqual(before);
        expect(filesIn(path.join(dataDir, "files"))).toEqual([]);
      });

      it("stores a file by its SHA-256, serves it back as an attachment, and stores nothing for a refused upload", async () => {
        const bytes = pdf("API security standard 3.0");
        const v = await addDocumentVersion({ actor: manager }, docId, details, {
          name: "API security standard 3.0 – final.pdf",
          bytes,
        });
        expect(v.number).toBe(1);
        const file = await getVersionFile(auditor, v.id);
        expect(file).toMatchObject({
          fileName: "API security standard 3.0 – final.pdf",
          mediaType: "application/pdf",
          size: bytes.byteLength,
        });
        expect(filesIn(path.join(dataDir, "files"))).toEqual([file!.sha256]);
        const response = await downloadResponse(file!);
        expect(response.headers.get("content-disposition")).toBe(
          `attachment; filename="API security standard 3.0 _ final.pdf"; filename*=UTF-8''API%20security%20standard%203.0%20%E2%80%93%20final.pdf`,
        );
        expect(response.headers.get("x-content-type-options")).toBe("nosniff");
        expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
        // A new file for a document that does not exist: refused before its blob is stored.
        await expect(
          addDocumentVersion({ actor: manager }, "no-such-document", details, {
            name: "other.pdf",
            bytes: pdf("other"),
          }),
        ).rejects.toMatchObject({ code: "NOT_FOUND" });
        expect(filesIn(path.join(dataDir, "files"))).toEqual([file!.sha256]);
      });

      it("approval: never by the uploader, never before the upload nor in the future; the approved version is in force and immutable", async () => {
        const draft = (await getDocument(admin, docId))!.versions[0]!;
        const today = todayInput();
        expect(draft).toMatchObject({ status: "DRAFT", canApprove: true, uploadedOn: today });
        expect((await getDocument(manager, docId))!.versions[0]!.canApprove).toBe(false);
        await expect(approveDocumentVersion({ actor: manager }, draft.id, { approvedOn: today })).rejects.toMatchObject(
          { code: "FORBIDDEN" },
        );
        await expect(
          approveDocumentVersion({ actor: admin }, draft.id, { approvedOn: "2999-01-01" }),
        ).rejects.toMatchObject({ fieldErrors: { approvedOn: ["The approval date cannot be in the future."] } });
        await expect(approveDocumentVersion({ actor: auditor }, draft.id, { approvedOn: today })).rejects.toMatchObject(
          { code: "FORBIDDEN" },
        );
        await approveDocumentVersion({ actor: admin }, draft.id, { approvedOn: today });
        const detail = (await getDocument(auditor, docId))!;
        expect(detail).toMatchObject({ state: "current", inForceId: draft.id });
        expect(detail.versions[0]).toMatchObject({
          status: "APPROVED",
          approver: "Alex Admin",
          approvedOn: today,
          uploadedBy: "Morgan Manager",
        });
        await expect(approveDocumentVersion({ actor: admin }, draft.id, { approvedOn: today })).rejects.toMatchObject({
          code: "FORBIDDEN",
        });
        await expect(withdrawDocumentVersion({ actor: manager }, draft.id)).rejects.toMatchObject({
          message: "Only a draft can be withdrawn; an approved version is replaced by a newer one.",
        });
        const audit = await db.auditEntry.findMany({
          where: { targetId: docId },
          orderBy: { seq: "asc" },
          select: { action: true },
        });
        expect(audit.map((a) => a.action)).toEqual([
          "document.create",
          "document.version.add",
          "document.version.approve",
        ]);
      });

      it("a version uploaded today cannot be approved “on 2019-01-02”, and its past effective date does not put it in force in earlier periods", async () => {
        const { id: policyId } = await createDocument(
          { actor: manager },
          { kind: "OTHER", title: "Backdating attempt", description: "" },
        );
        const v = await addDocumentVersion(
          { actor: manager },
          policyId,
          { ...details, label: "1.0", body: "Policy text.", effectiveDate: "2019-01-01", nextReviewDate: "2099-01-01" },
          null,
        );
        const today = todayInput();
        await expect(
          approveDocumentVersion({ actor: admin }, v.id, { approvedOn: "2019-01-02" }),
        ).rejects.toMatchObject({
          code: "VALIDATION",
          fieldErrors: { approvedOn: [`The approval date cannot be before the version was uploaded (${today}).`] },
        });
        expect(await db.documentVersion.findUniqueOrThrow({ where: { id: v.id } })).toMatchObject({
          status: "DRAFT",
          approvedAt: null,
        });
        await approveDocumentVersion({ actor: admin }, v.id, { approvedOn: today });
        // Effective since 2019, approved today: in force from today on, not a day earlier.
        const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000);
        expect((await getDocument(auditor, policyId, yesterday))!).toMatchObject({
          state: "no-approved-version",
          inForceId: null,
        });
        expect((await getDocument(auditor, policyId))!).toMatchObject({ state: "current", inForceId: v.id });
        // The evidence bundle of an earlier year leaves it out; this year's shows it with both dates.
        const documentsRows = async (period: string) => {
          const resolved = resolveScope({ period }, 1);
          if (!resolved.ok) throw new Error("bad period");
          const { tables } = await recordTables({
            scope: resolved.scope,
            now: new Date(),
            apiIds: null,
            people: new Map(),
            auditHead: null,
          });
          const rows: Record<string, unknown>[] = [];
          const documents = tables.find((t) => t.name === "documents")!;
          if ("rows" in documents) for await (const row of documents.rows()) if (!Array.isArray(row)) rows.push(row);
          return rows.filter((r) => r.documentId === policyId);
        };
        expect(await documentsRows(String(Number(today.slice(0, 4)) - 1))).toEqual([]);
        expect(await documentsRows(today.slice(0, 4))).toEqual([
          expect.objectContaining({
            effectiveDate: "2019-01-01",
            approvedAt: `${today}T00:00:00.000Z`,
            inForceFrom: today,
            uploadedAt: expect.stringMatching(new RegExp(`^${today}T`)),
          }),
        ]);
      });

      it("a text-body version; withdrawn drafts never count; overdue documents and missing kinds are flagged", async () => {
        const v2 = await addDocumentVersion(
          { actor: admin },
          docId,
          { ...details, label: "3.1", body: "## Changes\nRotation every 90 days." },
          null,
        );
        await withdrawDocumentVersion({ actor: manager }, v2.id);
        expect((await getDocument(auditor, docId))!.versions[0]).toMatchObject({
          number: 2,
          status: "WITHDRAWN",
          body: "## Changes\nRotation every 90 days.",
          file: null,
        });
        // Seeded (approved on the day of seeding): an access-control policy in force, an incident procedure overdue for review.
        expect(await getDocumentGaps(auditor)).toEqual([{ kind: "INCIDENT_PROCEDURE", problem: "review-overdue" }]);
        expect(await getDocumentGaps(auditor, new Date("2027-12-01T00:00:00Z"))).toEqual([
          { kind: "ACCESS_CONTROL_POLICY", problem: "review-overdue" },
          { kind: "API_SECURITY_STANDARD", problem: "review-overdue" },
          { kind: "INCIDENT_PROCEDURE", problem: "review-overdue" },
        ]);
      });
    },
  );
}
