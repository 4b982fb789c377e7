import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { startChecklist } from "@/lib/acquisitions/start-checklist";
import { saveAnswers } from "@/lib/acquisitions/save-answers";
import { decideChecklist } from "@/lib/acquisitions/decide-checklist";
import { addQuestion, updateQuestion } from "@/lib/acquisitions/manage-questions";
import { getChecklist, listQuestions } from "@/lib/acquisitions/queries";
import { DEFAULT_QUESTIONS } from "@/lib/acquisitions/default-questions";
import { personActor } from "@/lib/testing/actors";

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `software acquisition checklists on ${provider}`,
    () => {
      let database: TestDatabase;
      let admin: Actor, owner: Actor, manager: Actor, auditor: Actor, otherOwner: Actor;
      let checklistId: string;
      beforeAll(async () => {
        database = await useTestDatabase(provider);
        await seedDemo();
        admin = await personActor("admin@example.com");
        owner = await personActor("owner@example.com");
        manager = await personActor("manager@example.com");
        auditor = await personActor("auditor@example.com");
        otherOwner = await personActor("sam.owner@example.com");
      });
      afterAll(async () => database?.drop());

      const request = (reviewerId: string) => ({
        vendor: "Acme",
        product: "Gateway Pro",
        description: "API gateway for the payments platform.",
        requestedOn: "2026-11-20",
        reviewerId,
      });

      it("starts a checklist with a copy of the active questions; the reviewer must be a manager or admin other than the requester", async () => {
        expect((await listQuestions(auditor)).map((q) => q.text)).toEqual(DEFAULT_QUESTIONS.map((q) => q.text));
        await expect(startChecklist({ actor: auditor }, request(manager.id!))).rejects.toMatchObject({
          code: "FORBIDDEN",
        });
        await expect(startChecklist({ actor: owner }, request(otherOwner.id!))).rejects.toMatchObject({
          fieldErrors: { reviewerId: ["Choose an active manager or administrator."] },
        });
        await expect(startChecklist({ actor: manager }, request(manager.id!))).rejects.toMatchObject({
          fieldErrors: { reviewerId: ["Choose someone other than yourself to review it."] },
        });
        await expect(
          startChecklist({ actor: owner }, { ...request(manager.id!), vendor: "", requestedOn: "2999-01-01" }),
        ).rejects.toMatchObject({
          fieldErrors: { vendor: ["Vendor is required."], requestedOn: ["The date cannot be in the future."] },
        });
        expect(await db.acquisitionChecklist.count()).toBe(0);
        ({ id: checklistId } = await startChecklist({ actor: owner }, request(manager.id!)));
        expect((await getChecklist(auditor, checklistId))!.answers).toHaveLength(DEFAULT_QUESTIONS.length);
      });

      it("keeps the questions as asked when the admin edits the list later", async () => {
        const [first] = await listQuestions(admin);
        await expect(
          addQuestion({ actor: manager }, { text: "Does it support FIDO2?", help: "" }),
        ).rejects.toMatchObject({ code: "FORBIDDEN" });
        await updateQuestion({ actor: admin }, first!.id, { text: "Does it support mutual TLS?", help: "" }, true);
        await addQuestion({ actor: admin }, { text: "Does it publish an OpenAPI description?", help: "" });
        const c = (await getChecklist(auditor, checklistId))!;
        expect(c.answers[0]!.question).toBe(DEFAULT_QUESTIONS[0]!.text);
        expect(c.answers).toHaveLength(DEFAULT_QUESTIONS.length);
        await updateQuestion({ actor: admin }, first!.id, { text: "Does it support mutual TLS?", help: "" }, false);
        const { id } = await startChecklist({ actor: owner }, request(admin.id!));
        expect((await getChecklist(auditor, id))!.answers.map((a) => a.question)).toEqual([
          ...DEFAULT_QUESTIONS.slice(1).map((q) => q.text),
          "Does it publish an OpenAPI description?",
        ]);
      });

      it("answers by requester or reviewer only; the decision needs every answer with evidence and locks the checklist", async () => {
        const answers = DEFAULT_QUESTIONS.map((_, position) => ({
          position,
          answer: position === 4 ? "NOT_APPLICABLE" : "YES",
          evidence: position === 4 ? "" : `Vendor documentation section ${position + 1}`,
        }));
        await expect(saveAnswers({ actor: otherOwner }, checklistId, 1, { answers })).rejects.toMatchObject({
          code: "FORBIDDEN",
        });
        await expect(
          saveAnswers({ actor: owner }, checklistId, 1, { answers: [{ position: 0, answer: "MAYBE", evidence: "" }] }),
        ).rejects.toMatchObject({ code: "VALIDATION" });
        await saveAnswers({ actor: owner }, checklistId, 1, {
          answers: answers.map((a) => (a.position === 2 ? { ...a, evidence: "" } : a)),
        });
        await expect(
          decideChecklist({ actor: owner }, checklistId, 2, { outcome: "APPROVED", conditions: "" }),
        ).rejects.toMatchObject({ code: "FORBIDDEN" });
        await expect(
          decideChecklist({ actor: manager }, checklistId, 2, { outcome: "APPROVED", conditions: "" }),
        ).rejects.toMatchObject({ message: "Before deciding, give evidence for question 3 (and save the answers)." });
        await expect(
          decideChecklist({ actor: manager }, checklistId, 2, { outcome: "APPROVED_WITH_CONDITIONS", conditions: "" }),
        ).rejects.toMatchObject({
          fieldErrors: { conditions: ["Give the conditions, or the reasons for rejecting."] },
        });
        await saveAnswers({ actor: manager }, checklistId, 2, { answers });
        await expect(
          decideChecklist({ actor: manager }, checklistId, 2, { outcome: "APPROVED", conditions: "" }),
        ).rejects.toMatchObject({ code: "CONFLICT" });
        await decideChecklist({ actor: manager }, checklistId, 3, {
          outcome: "APPROVED_WITH_CONDITIONS",
          conditions: "Only with mutual TLS turned on.",
        });
        const c = (await getChecklist(owner, checklistId))!;
        expect(c).toMatchObject({ outcome: "APPROVED_WITH_CONDITIONS", canEdit: false, canDecide: false });
        await expect(saveAnswers({ actor: owner }, checklistId, 4, { answers })).rejects.toMatchObject({
          code: "FORBIDDEN",
        });
        const audit = await db.auditEntry.findMany({
          where: { targetId: checklistId },
          orderBy: { seq: "asc" },
          select: { action: true },
        });
        expect(audit.map((a) => a.action)).toEqual([
          "acquisition.start",
          "acquisition.answers",
          "acquisition.answers",
          "acquisition.decide",
        ]);
      });
    },
  );
}
