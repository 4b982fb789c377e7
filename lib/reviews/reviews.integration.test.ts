import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { openCampaign } from "@/lib/reviews/open-campaign";
import { saveReview, startReview } from "@/lib/reviews/save-review";
import { signOffReview } from "@/lib/reviews/sign-off-review";
import { updateFollowUp } from "@/lib/follow-ups/update-follow-up";
import { assignUnassignedReviews } from "@/lib/reviews/assign-reviewer";
import { addAddendum } from "@/lib/reviews/add-addendum";
import { assignReviewer } from "@/lib/reviews/assign-reviewer";
import { addApiToCampaign } from "@/lib/reviews/add-to-campaign";
import { addReviewFollowUp } from "@/lib/reviews/add-review-follow-up";
import { getCampaign, getReview, listCampaigns } from "@/lib/reviews/queries";
import { authorizedWrite } from "@/lib/audit/authorized-write";
import { updateApi } from "@/lib/apis/update-api";
import { getApi } from "@/lib/apis/queries";
import { toEditInput } from "@/lib/apis/edit-input";
import { createClient } from "@/lib/clients/create-client";
import { EMPTY_CLIENT_INPUT } from "@/lib/clients/schemas";
import { CHECKLIST_ITEMS } from "@/lib/reviews/schemas";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/authz/policy";
import { personActor } from "@/lib/testing/actors";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };
/**
 * Makes `ownerId` the API's owner the way data from before the independence rule could hold it (the
 * installation's own write door; no service allows it any more while the owner reviews the API).
 */
const legacyOwnerChange = (apiId: string, ownerId: string) =>
  authorizedWrite({ actor: SYSTEM }, { permission: "api:update" }, async (tx, audit) => {
    await tx.api.update({ where: { id: apiId }, data: { ownerId } });
    await audit({
      action: "api.update",
      targetType: "api",
      targetId: apiId,
      summary: "Owner changed (data from an earlier version)",
      details: { ownerId },
    });
  });

const fullChecklist = Object.fromEntries(CHECKLIST_ITEMS.map(([k]) => [k, { answer: "YES" as const, comment: "" }]));

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`access reviews on ${provider}`, () => {
    let database: TestDatabase;
    let admin: Actor, manager: Actor, owner: Actor, auditor: Actor;
    let reviewId: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      admin = await personActor("admin@example.com");
      manager = await personActor("manager@example.com");
      owner = await personActor("owner@example.com");
      auditor = await personActor("auditor@example.com");
    });
    afterAll(async () => database?.drop());

    it("opens a campaign with one review per active API under ISM-2013/2014, assigned to the team's manager", async () => {
      await expect(openCampaign({ actor: manager }, { quarter: "2026-Q4", extraApiIds: [] })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(openCampaign({ actor: admin }, { quarter: "2026-Q5", extraApiIds: [] })).rejects.toMatchObject({
        code: "VALIDATION",
      });
      // In scope: in service (active or deprecated) and under an access-control control, internet-facing
      // ones (ISM-1818/1817) included.
      const inScope = await db.api.count({
        where: {
          deletedAt: null,
          lifecycle: { in: ["ACTIVE", "DEPRECATED"] },
          OR: ["ism2013", "ism2014", "ism1818", "ism1817"].map((c) => ({ [c]: { not: "NOT_APPLICABLE" } })),
        },
      });
      const internetFacing = await db.api.count({
        where: {
          deletedAt: null,
          lifecycle: "ACTIVE",
          ism2013: "NOT_APPLICABLE",
          ism2014: "NOT_APPLICABLE",
          ism1818: { not: "NOT_APPLICABLE" },
        },
      });
      expect(internetFacing).toBeGreaterThan(0);
      const planned = await db.api.findFirstOrThrow({ where: { name: "Refunds API" } }); // PLANNED: only by hand
      const { reviews, unassigned } = await openCampaign(
        { actor: admin },
        { quarter: "2026-Q4", extraApiIds: [planned.id] },
      );
      expect(reviews).toBe(inScope + 1);
      expect(unassigned).toContain("API Gateway Admin");
      expect(unassigned).toEqual([...unassigned].sort((a, b) => a.localeCompare(b)));
      expect(unassigned.length).toBe(await db.review.count({ where: { reviewerId: null } }));
      await expect(openCampaign({ actor: admin }, { quarter: "2026-Q4", extraApiIds: [] })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      const ledger = await db.review.findFirstOrThrow({ where: { api: { name: "Payments Ledger API" } } });
      expect(ledger.reviewerId).toBe(manager.id);
      reviewId = ledger.id;
      // Platform Engineering has no manager: the review waits for an admin to assign one.
      expect(
        (await db.review.findFirstOrThrow({ where: { api: { name: "API Gateway Admin" } } })).reviewerId,
      ).toBeNull();
    });

    it("an admin adds an out-of-scope API by name, once", async () => {
      const campaign = await db.reviewCampaign.findFirstOrThrow({ where: { quarter: "2026-Q4" } });
      await expect(addApiToCampaign({ actor: admin }, campaign.id, { apiName: "No Such API" })).rejects.toMatchObject({
        fieldErrors: { apiName: ["No API is named “No Such API”."] },
      });
      await expect(
        addApiToCampaign({ actor: manager }, campaign.id, { apiName: "Exchange Rates Feed" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      const { reviewId: added } = await addApiToCampaign({ actor: admin }, campaign.id, {
        apiName: "Exchange Rates Feed",
      });
      expect((await db.review.findUniqueOrThrow({ where: { id: added } })).reviewerId).toBe(manager.id);
      await expect(
        addApiToCampaign({ actor: admin }, campaign.id, { apiName: "Exchange Rates Feed" }),
      ).rejects.toMatchObject({ code: "CONFLICT" });
    });

    it("only the assigned reviewer works on the review; the API owner cannot be made its reviewer", async () => {
      await expect(startReview({ actor: owner }, reviewId)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(startReview({ actor: admin }, reviewId)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(assignReviewer({ actor: admin }, reviewId, owner.id!)).rejects.toMatchObject({ code: "VALIDATION" });
      await startReview({ actor: manager }, reviewId);
      const r = await getReview(manager, reviewId);
      expect(r!.snapshot.map((c) => c.name)).toEqual(["finance-reporting", "gl-reconciliation", "legacy-batch"]);
      expect(r!.snapshotHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("shows grant changes made after the snapshot", async () => {
      await createClient(
        { actor: owner },
        (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id,
        { ...EMPTY_CLIENT_INPUT, name: "late-addition" },
      );
      const r = await getReview(auditor, reviewId);
      expect(r!.snapshot).toHaveLength(3);
      expect(r!.changesSinceSnapshot).toEqual([{ kind: "added", name: "late-addition", fields: [] }]);
    });

    it("saves with optimistic concurrency, refuses sign-off until complete, then creates the revoke follow-up", async () => {
      const r = await getReview(manager, reviewId);
      const [finance, gl, legacy] = r!.snapshot;
      await expect(
        saveReview({ actor: manager }, reviewId, r!.version, {
          meetingDate: "",
          attendees: "",
          notes: "",
          findings: "",
          checklist: {},
          decisions: { [legacy!.id]: { decision: "REVOKE", reason: "" } },
        }),
      ).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { [`decisions.${legacy!.id}.reason`]: ["Give a reason for revoking or changing the scope."] },
      });
      const partial = {
        meetingDate: "2026-11-20",
        attendees: "Morgan, Olivia",
        notes: "Quarterly review",
        findings: "One stale key",
        checklist: fullChecklist,
        decisions: { [legacy!.id]: { decision: "REVOKE" as const, reason: "Expired, unapproved and unused" } },
      };
      const { version } = await saveReview({ actor: manager }, reviewId, r!.version, partial);
      await expect(saveReview({ actor: manager }, reviewId, r!.version, partial)).rejects.toMatchObject({
        code: "CONFLICT",
      });
      await expect(signOffReview({ actor: manager }, reviewId, version)).rejects.toThrow(
        /finance-reporting, gl-reconciliation have no decision/,
      );
      const complete = {
        ...partial,
        decisions: {
          ...partial.decisions,
          [finance!.id]: { decision: "KEEP" as const, reason: "" },
          [gl!.id]: { decision: "CHANGE_SCOPE" as const, reason: "Reconciliation only reads" },
        },
      };
      const saved = await saveReview({ actor: manager }, reviewId, version, complete);
      // A follow-up added by hand before sign-off (only by the reviewer, and it must say what, who and when).
      await expect(
        addReviewFollowUp({ actor: manager }, reviewId, { description: "", ownerId: owner.id!, dueOn: "" }),
      ).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(
        addReviewFollowUp({ actor: owner }, reviewId, { description: "x", ownerId: owner.id!, dueOn: "2027-01-31" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await addReviewFollowUp({ actor: manager }, reviewId, {
        description: "Rotate the finance-reporting secret",
        ownerId: owner.id!,
        dueOn: "2027-01-31",
      });
      await signOffReview({ actor: manager }, reviewId, saved.version);
      const done = await getReview(auditor, reviewId);
      expect(done!.state).toBe("SIGNED_OFF");
      expect(done!.signedOffBy).toBe("Morgan Manager");
      expect(done!.followUps).toHaveLength(3);
      // The owner is told of each action assigned to them: the one added by hand and the two from decisions.
      expect(await db.notification.count({ where: { userId: owner.id!, kind: "follow-up-assigned" } })).toBe(3);
      await expect(
        addReviewFollowUp({ actor: manager }, reviewId, {
          description: "Document the new client",
          ownerId: owner.id!,
          dueOn: "2027-01-31",
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(done!.followUps.map((a) => a.description)).toEqual([
        "Rotate the finance-reporting secret",
        expect.stringMatching(/Change scope for client “gl-reconciliation”/),
        expect.stringMatching(/Revoke for client “legacy-batch”/),
      ]);
      // Each grant follow-up knows the live grant it will change.
      expect(done!.followUps.map((f) => f.grant?.decision ?? null)).toEqual([null, "CHANGE_SCOPE", "REVOKE"]);
      expect(done!.followUps.every((a) => a.status === "OPEN" && a.ownerId === owner.id)).toBe(true);
    });

    it("after sign-off nobody edits the review, corrections are addenda, and the owner completes the follow-up", async () => {
      const r = (await getReview(manager, reviewId))!;
      await expect(
        saveReview({ actor: manager }, reviewId, r.version, {
          meetingDate: "",
          attendees: "",
          notes: "changed",
          findings: "",
          checklist: {},
          decisions: {},
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await addAddendum({ actor: manager }, reviewId, { text: "Attendees also included the CISO." });
      await expect(addAddendum({ actor: owner }, reviewId, { text: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      const followUp = r.followUps.find((a) => a.description.startsWith("Revoke"))!;
      await expect(
        updateFollowUp({ actor: manager }, followUp.id, followUp.version, { status: "DONE", note: "Done" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        updateFollowUp({ actor: auditor }, followUp.id, followUp.version, { status: "DONE", note: "Done" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        updateFollowUp({ actor: owner }, followUp.id, followUp.version, { status: "DONE", note: "  " }),
      ).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { note: ["Say what was done."] } });
      const apiId = r.api.id;
      expect((await db.apiClient.findMany({ where: { apiId } })).map((c) => c.name)).toContain("legacy-batch");
      await updateFollowUp({ actor: owner }, followUp.id, followUp.version, {
        status: "DONE",
        note: "Key revoked in the gateway",
      });
      // Done means done: the grant is gone from the API in the same audited write, and the review shows it.
      expect((await db.apiClient.findMany({ where: { apiId } })).map((c) => c.name)).not.toContain("legacy-batch");
      const revoked = await db.auditEntry.findFirstOrThrow({
        where: { action: "client.delete" },
        orderBy: { seq: "desc" },
      });
      expect(revoked.summary).toContain(followUp.id);
      await expect(
        updateFollowUp({ actor: owner }, followUp.id, followUp.version + 1, { status: "OPEN", note: "" }),
      ).rejects.toMatchObject({ code: "VALIDATION" });

      // Change scope: the new scope is required, must differ, and is applied to the grant.
      const scope = r.followUps.find((a) => a.description.startsWith("Change scope"))!;
      expect(scope.grant).toMatchObject({ client: { name: "gl-reconciliation", canModify: true } });
      await expect(
        updateFollowUp({ actor: owner }, scope.id, scope.version, { status: "DONE", note: "Narrowed" }),
      ).rejects.toMatchObject({ code: "VALIDATION" });
      await expect(
        updateFollowUp({ actor: owner }, scope.id, scope.version, {
          status: "DONE",
          note: "Narrowed",
          grant: { scopes: ["ledger:write", "ledger:read"], canModify: true },
        }),
      ).rejects.toMatchObject({ code: "VALIDATION" });
      await updateFollowUp({ actor: owner }, scope.id, scope.version, {
        status: "DONE",
        note: "Narrowed to read",
        grant: { scopes: ["ledger:read"], canModify: false },
      });
      const gl = await db.apiClient.findFirstOrThrow({ where: { apiId, name: "gl-reconciliation" } });
      expect({ scopes: gl.scopes, canModify: gl.canModify }).toEqual({ scopes: ",ledger:read,", canModify: false });

      const after = (await getReview(auditor, reviewId))!;
      expect(after.changesSinceSnapshot).toEqual(
        expect.arrayContaining([
          { kind: "removed", name: "legacy-batch", fields: [] },
          { kind: "changed", name: "gl-reconciliation", fields: ["scopes", "canModify"] },
        ]),
      );
      expect(after.followUps.find((f) => f.id === scope.id)!.appliedChange).toBe(
        "Scope changed for “gl-reconciliation”: ledger:read, ledger:write (may modify data) → ledger:read (read only).",
      );
      expect(after.notes).toBe("Quarterly review");
      expect(after.addenda.map((a) => a.text)).toEqual(["Attendees also included the CISO."]);
      expect(after.followUps.find((f) => f.id === followUp.id)).toMatchObject({
        status: "DONE",
        completedNote: "Key revoked in the gateway",
        appliedChange: "Revoked: the grant of “legacy-batch” was removed.",
      });
      expect((await verifyAuditChain()).ok).toBe(true);
    });

    it("a reviewer never reviews their own API: taking ownership is refused, and every step refuses a reviewer who owns it", async () => {
      const review = await db.review.findFirstOrThrow({
        where: { api: { name: "Bank File Gateway" } },
        include: { api: true },
      });
      expect([review.reviewerId, review.status]).toEqual([manager.id, "NOT_STARTED"]);
      // The attack: the assigned reviewer makes himself the API's owner. Refused, whoever asks, while the review is open.
      const api = await getApi(manager, review.apiId);
      for (const who of [manager, admin]) {
        const error = await updateApi({ actor: who }, review.apiId, api.version, {
          ...toEditInput(api),
          ownerId: manager.id!,
        }).catch((e: unknown) => e);
        expect(error).toMatchObject({
          code: "CONFLICT",
          fieldErrors: { ownerId: [expect.stringMatching(/reviewer of this API’s open 2026-Q4 access review/)] },
        });
      }
      expect((await db.api.findUniqueOrThrow({ where: { id: review.apiId } })).ownerId).toBe(owner.id);

      // Data from before this rule, where the reviewer already owns the API: no step of the review goes through.
      await legacyOwnerChange(review.apiId, manager.id!);
      await expect(startReview({ actor: manager }, review.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await legacyOwnerChange(review.apiId, owner.id!);
      await startReview({ actor: manager }, review.id);
      const started = (await getReview(manager, review.id))!;
      const decided = {
        meetingDate: "2026-11-20",
        attendees: "Morgan",
        notes: "",
        findings: "",
        checklist: fullChecklist,
        decisions: Object.fromEntries(started.snapshot.map((c) => [c.id, { decision: "KEEP" as const, reason: "" }])),
      };
      await legacyOwnerChange(review.apiId, manager.id!);
      await expect(saveReview({ actor: manager }, review.id, started.version, decided)).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(
        addReviewFollowUp({ actor: manager }, review.id, { description: "x", ownerId: owner.id!, dueOn: "2027-01-31" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(signOffReview({ actor: manager }, review.id, started.version)).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await db.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({
        status: "IN_PROGRESS",
        version: started.version,
        notes: "",
      });
      // An admin reassigns the review to someone independent; that reviewer can work on it.
      await assignReviewer({ actor: admin }, review.id, admin.id!);
      const reassigned = (await getReview(admin, review.id))!;
      await saveReview({ actor: admin }, review.id, reassigned.version, decided);
    });

    it("an addendum is refused to a reviewer who has since become the API's owner", async () => {
      const signed = await db.review.findUniqueOrThrow({ where: { id: reviewId }, include: { api: true } });
      expect(signed.status).toBe("SIGNED_OFF");
      // Once signed off, the review is no longer open, so the ownership may change...
      const api = await getApi(admin, signed.apiId);
      await updateApi({ actor: admin }, signed.apiId, api.version, { ...toEditInput(api), ownerId: manager.id! });
      // ...but the former reviewer, now the owner, no longer writes on the review of their own API.
      await expect(
        addAddendum({ actor: manager }, reviewId, { text: "All fine, says the owner." }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect((await getReview(auditor, reviewId))!.addenda.map((a) => a.text)).toEqual([
        "Attendees also included the CISO.",
      ]);
    });

    it("a team-limited token reads only its team's reviews, and campaigns only as far as its team goes", async () => {
      const identity = (await db.team.findFirstOrThrow({ where: { name: "Identity & Access" } })).id;
      const limited = {
        ...(auditor as Extract<Actor, { kind: "user" }>),
        token: { id: "t", scopes: ["reviews:read" as const], teamId: identity },
      };
      await expect(getReview(limited, reviewId)).rejects.toMatchObject({ code: "FORBIDDEN" });
      const campaign = (await listCampaigns(limited))[0]!;
      const identityReviews = await db.review.count({ where: { campaignId: campaign.id, api: { teamId: identity } } });
      expect(identityReviews).toBeGreaterThan(0);
      expect(campaign.total).toBe(identityReviews);
      const detail = (await getCampaign(limited, campaign.id))!;
      expect(new Set(detail.reviews.map((r) => r.team))).toEqual(new Set(["Identity & Access"]));
      expect((await getReview(limited, detail.reviews[0]!.id))!.api.team).toBe("Identity & Access");
      expect((await getCampaign(auditor, campaign.id))!.reviews.length).toBeGreaterThan(identityReviews);
    });

    it("an admin assigns every unassigned review at once; the reviews of the chosen person's own APIs stay unassigned", async () => {
      const campaign = await db.reviewCampaign.findFirstOrThrow({ where: { quarter: "2026-Q4" } });
      const lee = await personActor("lee.owner@example.com"); // owns some Platform Engineering APIs
      const waiting = await db.review.findMany({
        where: { campaignId: campaign.id, reviewerId: null },
        select: { id: true, api: { select: { name: true, ownerId: true } } },
      });
      const leeOwns = waiting.filter((r) => r.api.ownerId === lee.id).map((r) => r.api.name);
      expect(leeOwns.length).toBeGreaterThan(0);
      expect(waiting.length).toBeGreaterThan(leeOwns.length);
      await expect(assignUnassignedReviews({ actor: manager }, campaign.id, lee.id!)).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(assignUnassignedReviews({ actor: admin }, campaign.id, auditor.id!)).rejects.toMatchObject({
        code: "VALIDATION",
      });
      const result = await assignUnassignedReviews({ actor: admin }, campaign.id, lee.id!);
      expect(result).toEqual({ assigned: waiting.length - leeOwns.length, ownApis: expect.arrayContaining(leeOwns) });
      const after = await db.review.findMany({
        where: { campaignId: campaign.id, reviewerId: null },
        select: { api: { select: { name: true } } },
      });
      expect(after.map((r) => r.api.name).sort()).toEqual([...leeOwns].sort());
      // The new reviewer is told, and each assignment is in the audit log.
      expect(await db.notification.count({ where: { userId: lee.id!, kind: "review-assigned" } })).toBe(
        result.assigned,
      );
      expect((await verifyAuditChain()).ok).toBe(true);
    });
  });
}
