// The daily control counts behind the dashboard's trend: recorded once a day whatever the number of
// instances, and read back per quarter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { getControlTrend, recordControlSnapshot } from "@/lib/dashboard/control-snapshots";
import { countControls } from "@/lib/dashboard/queries";
import { getApi } from "@/lib/apis/queries";
import { updateApi } from "@/lib/apis/update-api";
import { toEditInput } from "@/lib/apis/edit-input";
import { personActor } from "@/lib/testing/actors";

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`control snapshots (${provider})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
    });
    afterAll(async () => database?.drop());

    it("records each day's counts once, also when two instances try at the same moment", async () => {
      const day = new Date("2026-09-30T10:00:00Z");
      const results = await Promise.all([recordControlSnapshot(day), recordControlSnapshot(day)]);
      expect(results.sort()).toEqual([false, true]);
      expect(await recordControlSnapshot(new Date("2026-09-30T23:59:00Z"))).toBe(false);
      const rows = await db.controlSnapshot.findMany({ where: { day: new Date("2026-09-30T00:00:00Z") } });
      const live = await countControls();
      expect(rows).toHaveLength(6);
      for (const r of rows)
        expect([r.met, r.notMet, r.cannotJudge]).toEqual([
          live[r.control as keyof typeof live].MET,
          live[r.control as keyof typeof live].NOT_MET,
          live[r.control as keyof typeof live].CANNOT_JUDGE,
        ]);
      expect(await db.auditEntry.count({ where: { action: "controls.snapshot" } })).toBe(1);
    });

    it("shows each past quarter as recorded last in it, and the current quarter as it is now", async () => {
      const owner = await personActor("owner@example.com");
      // A mid-quarter snapshot, then a later one after an API stopped meeting ISM-2015.
      const ledger = await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } });
      const api = await getApi(owner, ledger.id);
      expect(api.controls["ism-2015"]).toBe("MET");
      await recordControlSnapshot(new Date("2026-08-15T09:00:00Z"));
      await updateApi({ actor: owner }, ledger.id, api.version, { ...toEditInput(api), centrallyLogged: "no" });
      const now = new Date("2026-12-02T09:00:00Z");
      const trend = await getControlTrend(owner, now);
      expect(trend.map((q) => q.quarter)).toEqual(["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
      expect(trend.slice(0, 3).every((q) => q.asOf === null)).toBe(true);
      // 2026-Q3 is its last recorded day (30 September), before the change; now has the change.
      expect(trend[3]!.asOf).toBe("2026-09-30");
      expect(trend[4]!.asOf).toBe("now");
      expect(trend[4]!.byControl!["ism-2015"].notMet).toBe(trend[3]!.byControl!["ism-2015"].notMet + 1);
      expect(trend[4]!.byControl!["ism-2015"].met).toBe(trend[3]!.byControl!["ism-2015"].met - 1);
    });
  });
}
