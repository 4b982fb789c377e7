// The dashboard's single aggregate query (raw SQL) must agree with plain per-number counts on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { getDashboard } from "@/lib/dashboard/queries";
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
  });
}
