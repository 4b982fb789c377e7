// Triage of OpenAPI findings: a public-by-design sign-up accepted as a risk stops deciding ISM-2013
// once approved, until it expires or is withdrawn; asking and approving are different people.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { attachDescription } from "@/lib/openapi-scan/attach-description";
import { decideTriage, expireFindingTriages, requestTriage, withdrawTriage } from "@/lib/openapi-scan/triage";
import { getDescriptionReport } from "@/lib/openapi-scan/queries";
import { getApi } from "@/lib/apis/queries";
import { evaluateApi } from "@/lib/apis/rules";
import { daysFromTodayInput } from "@/lib/input/date-input";
import { verifyAuditChain } from "@/lib/audit/verify";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { readZip } from "@/lib/testing/read-zip";
import { parse } from "csv-parse/sync";
import { oscalProblems } from "@/lib/testing/oscal-check";
import { personActor } from "@/lib/testing/actors";

// A PROTECTED API that modifies data, secured by mTLS except for a public sign-up and a public login.
const DESCRIPTION = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Grants portal", version: "1" },
  components: { securitySchemes: { mtls: { type: "mutualTLS" } } },
  security: [{ mtls: [] }],
  paths: {
    "/signup": { post: { security: [], responses: { "201": { description: "Created" } } } },
    "/login": { post: { security: [], responses: { "200": { description: "Signed in" } } } },
    "/grants": { post: { responses: { "201": { description: "Created" } } } },
  },
});
const SIGNUP = { rule: "unauthenticated-write", pointer: "/paths/~1signup/post" };
const LOGIN = { rule: "unauthenticated-write", pointer: "/paths/~1login/post" };

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`finding triage (${provider})`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let owner: Actor, manager: Actor, otherManager: Actor, admin: Actor, auditor: Actor;
    let apiId: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-triage-"));
      process.env.APILEDGER_DATA_DIR = dataDir;
      await seedDemo();
      owner = await personActor("owner@example.com");
      manager = await personActor("manager@example.com");
      otherManager = await personActor("kim.manager@example.com");
      admin = await personActor("admin@example.com");
      auditor = await personActor("auditor@example.com");
      apiId = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
      await attachDescription({ actor: owner }, apiId, DESCRIPTION, { kind: "upload" });
    });
    afterAll(async () => {
      delete process.env.APILEDGER_DATA_DIR;
      fs.rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    });
    const ask = (actor: Actor, finding = SIGNUP, extra: Record<string, unknown> = {}) =>
      requestTriage({ actor }, apiId, {
        ...finding,
        kind: "ACCEPTED_RISK",
        reason: "Sign-up is public by design; rate-limited at the gateway.",
        approverId: manager.id,
        expiresOn: daysFromTodayInput(30),
        ...extra,
      });
    const version = async (id: string) =>
      (await db.findingTriage.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
    const ism2013 = async () => (await getApi(owner, apiId)).controls["ism-2013"];

    it("refuses requests that the policy or the four-eyes rule does not allow", async () => {
      expect(await ism2013()).toBe("NOT_MET");
      await expect(ask(auditor)).rejects.toMatchObject({ code: "FORBIDDEN" });
      // Another team's owner may not triage this team's API.
      await expect(ask(await personActor("sam.owner@example.com"))).rejects.toMatchObject({ code: "FORBIDDEN" });
      // The approver must be an admin or a manager of the API's team, and not the one asking.
      await expect(ask(owner, SIGNUP, { approverId: otherManager.id })).rejects.toMatchObject({
        fieldErrors: { approverId: [expect.stringMatching(/manager of the API/)] },
      });
      await expect(ask(manager, SIGNUP, { approverId: manager.id })).rejects.toMatchObject({
        fieldErrors: { approverId: [expect.any(String)] },
      });
      await expect(ask(owner, SIGNUP, { expiresOn: daysFromTodayInput(0) })).rejects.toMatchObject({
        fieldErrors: { expiresOn: [expect.stringMatching(/after today/)] },
      });
      await expect(ask(owner, SIGNUP, { expiresOn: daysFromTodayInput(400) })).rejects.toMatchObject({
        fieldErrors: { expiresOn: [expect.stringMatching(/at most a year/i)] },
      });
      await expect(ask(owner, SIGNUP, { reason: "" })).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(ask(owner, { rule: "unauthenticated-write", pointer: "/paths/~1nope/post" })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      expect(await db.findingTriage.count()).toBe(0);
    });

    it("counts only once approved by the named approver, and keeps the finding listed", async () => {
      const { id } = await ask(owner);
      // Pending: still decides the control; a second request for the same finding is refused.
      expect(await ism2013()).toBe("NOT_MET");
      await expect(ask(owner)).rejects.toMatchObject({ code: "CONFLICT" });
      // Only the named approver decides; not the owner who asked, not another team's manager, not an
      // admin who was not named.
      for (const who of [owner, otherManager, admin])
        await expect(
          decideTriage({ actor: who }, id, await version(id), { decision: "APPROVE", note: "" }),
        ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        decideTriage({ actor: manager }, id, await version(id), { decision: "REJECT", note: "" }),
      ).rejects.toMatchObject({ fieldErrors: { note: [expect.any(String)] } });
      await decideTriage({ actor: manager }, id, await version(id), { decision: "APPROVE", note: "Agreed." });
      // The login is still public: ISM-2013 is still not met, on one operation instead of two.
      let api = await getApi(owner, apiId);
      expect(api.spec).toMatchObject({ anonWrites: 1, acceptedWrites: 1 });
      expect(api.controls["ism-2013"]).toBe("NOT_MET");
      const evaluation = evaluateApi(api).find((e) => e.controlId === "ism-2013")!;
      expect(evaluation.reasons.join(" ")).toMatch(/1 write operation that can be called without authenticating/);
      expect(evaluation.warnings.join(" ")).toMatch(/1 write operation .* left out: accepted as a risk/);

      // Accepting the login too (by an admin named as approver) meets the control.
      const login = await ask(owner, LOGIN, { approverId: admin.id, kind: "FALSE_POSITIVE" });
      await decideTriage({ actor: admin }, login.id, await version(login.id), { decision: "APPROVE", note: "" });
      api = await getApi(owner, apiId);
      expect(api.controls["ism-2013"]).toBe("MET");
      const report = (await getDescriptionReport(auditor, apiId))!;
      const listed = report.findings.filter((f) => f.rule === "unauthenticated-write");
      expect(listed.map((f) => [f.pointer, f.triage?.status, f.triage?.kind])).toEqual([
        ["/paths/~1login/post", "APPROVED", "FALSE_POSITIVE"],
        ["/paths/~1signup/post", "APPROVED", "ACCEPTED_RISK"],
      ]);
      expect(report.worstOpen).toBeNull();
      // A decided triage is not decided again.
      await expect(
        decideTriage({ actor: manager }, id, await version(id), { decision: "REJECT", note: "Changed my mind." }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("is in the evidence bundle as an accepted risk: a data file, and an OSCAL risk with its log", async () => {
      const file = path.join(dataDir, "bundle.zip");
      const year = String(new Date().getUTCFullYear());
      await exportEvidenceBundle(
        { actor: auditor },
        { period: year, controls: [], teamIds: [], apiIds: [] },
        fs.createWriteStream(file),
      );
      const files = await readZip(file);
      const rows = parse(files.get("data/accepted-risks.csv")!.toString("utf8"), { columns: true }) as Record<
        string,
        string
      >[];
      expect(rows.map((r) => [r.api, r.kind, r.pointer, r.approvedBy, r.ended]).sort()).toEqual([
        ["Payments Ledger API", "ACCEPTED_RISK", SIGNUP.pointer, "manager@example.com", ""],
        ["Payments Ledger API", "FALSE_POSITIVE", LOGIN.pointer, "admin@example.com", ""],
      ]);
      const poam = JSON.parse(files.get("oscal/poam.json")!.toString("utf8")) as Record<string, unknown>;
      expect(oscalProblems("poam", poam)).toEqual([]);
      const risks = (poam["plan-of-action-and-milestones"] as { risks: Record<string, unknown>[] }).risks;
      const signup = risks.find((r) => String(r.description).includes(SIGNUP.pointer))!;
      expect(signup).toMatchObject({ status: "deviation-approved" });
      expect(
        (signup["risk-log"] as { entries: { "status-change": string }[] }).entries.map((e) => e["status-change"]),
      ).toEqual(["deviation-requested", "deviation-approved"]);
    });

    it("survives a re-attached description with the same operation, and stops at withdrawal", async () => {
      await attachDescription({ actor: owner }, apiId, DESCRIPTION.replace('"1"', '"2"'), { kind: "upload" });
      expect(await ism2013()).toBe("MET");
      const login = await db.findingTriage.findFirstOrThrow({ where: { apiId, pointer: LOGIN.pointer } });
      await expect(withdrawTriage({ actor: auditor }, login.id, login.version, { note: "No." })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await withdrawTriage({ actor: owner }, login.id, login.version, { note: "The login now needs mTLS too." });
      expect(await ism2013()).toBe("NOT_MET");
      // The audit entry of the withdrawal says which control result it flipped; the approval's said the reverse.
      const entries = await db.auditEntry.findMany({
        where: { targetId: apiId, action: { in: ["finding.triage.withdraw", "finding.triage.approve"] } },
        orderBy: { seq: "asc" },
      });
      const flips = entries.map((e) => (JSON.parse(e.diff) as { changes: Record<string, unknown> }).changes.ism2013);
      expect(flips.at(-1)).toEqual({ from: "MET", to: "NOT_MET" });
      expect(flips).toContainEqual({ from: "NOT_MET", to: "MET" });
      expect((await getApi(owner, apiId)).spec).toMatchObject({ anonWrites: 1, acceptedWrites: 1 });
    });

    it("stops counting at its expiry: the scheduler closes it, audited, and the owner is told", async () => {
      const signup = await db.findingTriage.findFirstOrThrow({ where: { apiId, pointer: SIGNUP.pointer } });
      const later = new Date(signup.expiresOn.getTime() + 1000);
      expect(await expireFindingTriages(new Date(signup.expiresOn.getTime() - 60_000))).toBe(0);
      expect(await expireFindingTriages(later)).toBe(1);
      expect((await db.findingTriage.findUniqueOrThrow({ where: { id: signup.id } })).status).toBe("EXPIRED");
      expect((await getApi(owner, apiId)).spec).toMatchObject({ anonWrites: 2, acceptedWrites: 0 });
      expect(await ism2013()).toBe("NOT_MET");
      expect(await db.notification.count({ where: { userId: owner.id!, kind: "triage-expired" } })).toBe(1);
      const actions = (
        await db.auditEntry.findMany({ where: { targetId: apiId, action: { startsWith: "finding.triage" } } })
      ).map((e) => e.action);
      expect(actions.sort()).toEqual(
        [
          "finding.triage.approve",
          "finding.triage.approve",
          "finding.triage.expire",
          "finding.triage.request",
          "finding.triage.request",
          "finding.triage.withdraw",
        ].sort(),
      );
      expect((await verifyAuditChain()).ok).toBe(true);
    });
  });
}
