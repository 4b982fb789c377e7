// The dashboard's single aggregate query (raw SQL) must agree with plain per-number counts on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { getDashboard } from "@/lib/dashboard/queries";
import { getAttention, getSetupSteps } from "@/lib/dashboard/attention";
import type { Actor } from "@/lib/authz/policy";
import { addIncidentFollowUp } from "@/lib/incidents/add-incident-follow-up";
import { reportIncident } from "@/lib/incidents/report-incident";
import { seedDemo, SYSTEM_ACTOR } from "@/prisma/seed";
import { deleteApi } from "@/lib/apis/delete-api";
import { CONTROL_COLUMN, CONTROL_IDS } from "@/lib/ism/controls";
import { EXPOSURES, SENSITIVITIES } from "@/lib/apis/enums";

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`dashboard on ${provider}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      // A deleted API must drop out of every number.
      const victim = await db.api.findFirstOrThrow({ where: { name: "Scanning Intake" } });
      await deleteApi({ actor: SYSTEM_ACTOR }, victim.id);
    });
    afterAll(async () => database?.drop());

    it("counts what per-number queries count", async () => {
      const d = await getDashboard(SYSTEM_ACTOR);
      const live = { deletedAt: null };
      expect(d.total).toBe(39);
      expect(d.total).toBe(await db.api.count({ where: live }));
      expect(d.noOwner).toBe(await db.api.count({ where: { ...live, ownerId: null } }));
      expect(d.noAuth).toBe(await db.api.count({ where: { ...live, authMethods: { contains: ",NONE," } } }));
      expect(d.authUnknown).toBe(await db.api.count({ where: { ...live, authMethods: "" } }));
      for (const e of EXPOSURES)
        for (const s of SENSITIVITIES)
          expect(d.matrix[e][s], `${e}/${s}`).toBe(
            await db.api.count({ where: { ...live, exposure: e, sensitivity: s } }),
          );
      for (const id of CONTROL_IDS) {
        for (const status of ["MET", "NOT_MET", "CANNOT_JUDGE"] as const) {
          expect(d.controls[id][status], `${id} ${status}`).toBe(
            await db.api.count({ where: { ...live, [CONTROL_COLUMN[id]]: status } }),
          );
        }
      }
      expect(d.controls["ism-2013"].NOT_MET).toBeGreaterThan(0);
      expect(d.alerts).toEqual({ days: 7, total: 0, accounts: [], locked: [] });
    });

    it("puts what is urgent first, as each role is concerned: the whole installation, or an owner's own APIs", async () => {
      const admin = await db.user.findFirstOrThrow({ where: { email: "admin@example.com" } });
      const owner = await db.user.findFirstOrThrow({ where: { email: "owner@example.com" } });
      const actorOf = (u: typeof admin) =>
        ({ kind: "user", id: u.id, email: u.email, role: u.role, teamId: u.teamId }) as Actor;
      const unmetProtected = (ownerId?: string) =>
        db.api.count({
          where: {
            deletedAt: null,
            sensitivity: { in: ["PROTECTED", "SECRET", "TOP_SECRET"] },
            OR: CONTROL_IDS.map((id) => ({ [CONTROL_COLUMN[id]]: "NOT_MET" })),
            ...(ownerId ? { ownerId } : {}),
          },
        });
      const all = await getAttention(actorOf(admin));
      const expected = await unmetProtected();
      expect(expected).toBeGreaterThan(0);
      expect(all.find((i) => i.key === "unmet-protected")?.count).toBe(expected);
      const mine = await getAttention(actorOf(owner));
      expect(mine.find((i) => i.key === "unmet-protected")?.count ?? 0).toBe(await unmetProtected(owner.id));
      expect(mine.every((i) => i.key !== "sign-in-alerts")).toBe(true);
      // An overdue follow-up shows for its owner.
      const before = (await getAttention(actorOf(owner))).find((i) => i.key === "overdue-follow-ups")?.count ?? 0;
      const api = await db.api.findFirstOrThrow({ where: { deletedAt: null } });
      const incident = await reportIncident(
        { actor: SYSTEM_ACTOR },
        {
          title: "Key seen outside the network",
          type: "CREDENTIAL_COMPROMISE",
          severity: "HIGH",
          detectedAt: "2026-11-10T08:15",
          reportedAt: "2026-11-10T09:00",
          reportedBy: "SOC",
          description: "A key was used from outside.",
          apiIds: [api.id],
          affectedClients: "",
          rootCause: "",
          lessonsLearned: "",
        },
      );
      await addIncidentFollowUp({ actor: SYSTEM_ACTOR }, incident.id, {
        description: "Rotate the key",
        ownerId: owner.id,
        dueOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
      });
      expect((await getAttention(actorOf(owner))).find((i) => i.key === "overdue-follow-ups")?.count).toBe(before + 1);
      // The demo has teams, people and APIs but no campaign yet: the admin's checklist says so; others see none.
      const steps = (await getSetupSteps(actorOf(admin)))!;
      expect(steps.filter((s) => !s.done).map((s) => s.key)).toEqual(
        (await db.ismCatalog.count()) ? ["campaign"] : ["ism", "campaign"],
      );
      expect(await getSetupSteps(actorOf(owner))).toBeNull();
    });
  });
}
