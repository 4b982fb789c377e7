// Evidence as of the period it covers (issue 15): an API changed after a period's end shows, in that
// period's bundle, the record, clients and control results it had at the end; the changes made inside the
// period are listed with the audit entry that made each.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { readZip } from "@/lib/testing/read-zip";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { createApi } from "@/lib/apis/create-api";
import { updateApi } from "@/lib/apis/update-api";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { createClient } from "@/lib/clients/create-client";
import { deleteClient } from "@/lib/clients/delete-client";
import { updateClient } from "@/lib/clients/update-client";
import { EMPTY_CLIENT_INPUT } from "@/lib/clients/schemas";
import { exportEvidenceBundle } from "@/lib/evidence/export-bundle";
import { getControlTrend } from "@/lib/dashboard/control-snapshots";
import { personActor } from "@/lib/testing/actors";

const csv = (bytes: Buffer | undefined) => parse(bytes!, { columns: true }) as Record<string, string>[];

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(
    `evidence as of the period on ${provider}`,
    () => {
      let database: TestDatabase;
      let dir: string;
      let owner: Actor, auditor: Actor;
      let apiId: string;

      const bundle = async (period: string) => {
        const file = path.join(dir, `${period}.zip`);
        await exportEvidenceBundle({ actor: auditor }, { period }, fs.createWriteStream(file), {
          now: new Date("2026-11-20T00:00:00Z"),
        });
        return readZip(file);
      };

      beforeAll(async () => {
        database = await useTestDatabase(provider);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-history-"));
        process.env.APILEDGER_DATA_DIR = dir;
        await seedDemo();
        owner = await personActor("owner@example.com");
        auditor = await personActor("auditor@example.com");
        const teamId = owner.kind === "user" ? owner.teamId! : "";

        // Q3: registered with no authentication recorded for a data-changing API, and one client.
        vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-08-10T03:00:00Z") });
        const input = {
          ...EMPTY_API_INPUT,
          name: "Tide Gauge Ingest",
          purpose: "Takes readings from harbour gauges",
          teamId,
          exposure: "INTERNAL" as const,
          modifiesData: "yes" as const,
          readsNonPublic: "yes" as const,
          authMethods: ["NONE" as const],
          authzModel: "NONE" as const,
          centrallyLogged: "no" as const,
        };
        apiId = (await createApi({ actor: owner }, input)).id;
        await createClient({ actor: owner }, apiId, { ...EMPTY_CLIENT_INPUT, name: "gauge-fleet", scopes: ["write"] });

        // Q4: authentication and authorisation added, renamed, the old client removed, a new one added.
        vi.setSystemTime(new Date("2026-10-05T03:00:00Z"));
        await updateApi({ actor: owner }, apiId, 1, {
          ...input,
          name: "Tide Gauge Ingest v2",
          authMethods: ["MTLS" as const],
          authzModel: "RBAC" as const,
        });
        const old = await db.apiClient.findFirstOrThrow({ where: { apiId, name: "gauge-fleet" } });
        await deleteClient({ actor: owner }, apiId, old.id);
        const { id: added } = await createClient({ actor: owner }, apiId, {
          ...EMPTY_CLIENT_INPUT,
          name: "gauge-fleet-mtls",
        });
        // A client's own edit is a change of the API's grants too.
        await updateClient({ actor: owner }, apiId, added, 1, {
          ...EMPTY_CLIENT_INPUT,
          name: "gauge-fleet-mtls",
          notes: "rotated yearly",
        });
        vi.useRealTimers();
      });
      afterAll(async () => {
        vi.useRealTimers();
        await database?.drop();
      });

      it("a Q3 bundle exported in Q4 shows the API, its clients and its controls as they stood at Q3's end", async () => {
        const files = await bundle("2026-Q3");
        const row = csv(files.get("data/inventory.csv")).find((r) => r.id === apiId)!;
        expect(row.name).toBe("Tide Gauge Ingest");
        expect(row.valuesAsOf).toBe("period-end");
        expect(row.recordedAt).toBe("2026-08-10T03:00:00.000Z");
        const clients = csv(files.get("data/clients.csv")).filter((r) => r.apiId === apiId);
        expect(clients.map((c) => c.client)).toEqual(["gauge-fleet"]);
        const ism2013 = csv(files.get("data/control-evaluations.csv")).find(
          (r) => r.apiId === apiId && r.control!.includes("2013"),
        )!;
        expect(ism2013.status).toBe("NOT_MET");
        // The summary the report, index and OSCAL read agrees with the data file.
        const oscal = files.get("oscal/assessment-results.json")!.toString("utf8");
        expect(oscal).toContain("Tide Gauge Ingest");
        expect(oscal).not.toContain("Tide Gauge Ingest v2");
        // Only the Q3 change is listed for Q3, with the audit entry that made it.
        const changes = csv(files.get("data/inventory-changes.csv")).filter((r) => r.apiId === apiId);
        expect(changes.map((c) => c.at)).toEqual(["2026-08-10T03:00:00.000Z", "2026-08-10T03:00:00.000Z"]);
        expect(changes[1]!.changed).toBe("client “gauge-fleet” added");
        const audit = csv(files.get("data/audit-log.csv"));
        for (const c of changes) expect(audit.some((a) => a.hash === c.auditHash)).toBe(true);
      });

      it("the Q4 bundle shows the Q4 state and lists each Q4 change", async () => {
        const files = await bundle("2026-Q4");
        const row = csv(files.get("data/inventory.csv")).find((r) => r.id === apiId)!;
        expect(row.name).toBe("Tide Gauge Ingest v2");
        expect(csv(files.get("data/clients.csv")).filter((r) => r.apiId === apiId)).toMatchObject([
          { client: "gauge-fleet-mtls", notes: "rotated yearly" },
        ]);
        const ism2013 = csv(files.get("data/control-evaluations.csv")).find(
          (r) => r.apiId === apiId && r.control!.includes("2013"),
        )!;
        expect(ism2013.status).toBe("MET");
        const changed = csv(files.get("data/inventory-changes.csv"))
          .filter((r) => r.apiId === apiId)
          .map((r) => r.changed);
        expect(changed[0]).toMatch(/^name; .*authMethods/);
        expect(changed.slice(1)).toEqual([
          "client “gauge-fleet” removed",
          "client “gauge-fleet-mtls” added",
          "client “gauge-fleet-mtls”: notes",
        ]);
      });

      it("the dashboard's trend counts a quarter the history covers as it stood at its end, as the bundle does", async () => {
        // A daily count taken mid-December would say what December's inventory says; Q3's end is what counts.
        const trend = await getControlTrend(owner, new Date("2026-12-02T09:00:00Z"));
        const q3 = trend.find((q) => q.quarter === "2026-Q3")!;
        expect(q3.asOf).toBe("2026-09-30");
        // Only the probe existed at Q3's end (the demo data was registered today), and it did not meet ISM-2013.
        expect(q3.byControl!["ism-2013"]).toEqual({ met: 0, notMet: 1, cannotJudge: 0 });
        const bundled = csv((await bundle("2026-Q3")).get("data/control-evaluations.csv")).filter((r) =>
          r.control!.includes("2013"),
        );
        expect(bundled.map((r) => r.status)).toEqual(["NOT_MET"]);
        // Before any API existed: no data, as before.
        expect(trend.find((q) => q.quarter === "2026-Q2")!.asOf).toBeNull();
      });

      it("an API with no history from before the period's end says its values are those at export", async () => {
        // A record from before this release: registered, but no version of it was ever stored.
        const seeded = await db.api.findFirstOrThrow({ where: { id: { not: apiId } }, orderBy: { name: "asc" } });
        await asDatabaseAdmin(database, ['DELETE FROM "ApiVersion" WHERE "apiId" = ?'], [[seeded.id]]);
        const rows = csv((await bundle("2026-Q4")).get("data/inventory.csv"));
        expect(rows.find((r) => r.id === seeded.id)).toMatchObject({
          name: seeded.name,
          valuesAsOf: "export",
          recordedAt: "",
        });
        // Every other demo API was registered through the write path this year: its state is on record.
        const others = rows.filter((r) => r.id !== seeded.id);
        expect(others.length).toBeGreaterThan(10);
        expect(new Set(others.map((r) => r.valuesAsOf))).toEqual(new Set(["period-end"]));
      });

      it("stores no version for a write that changes nothing an auditor would call a change", async () => {
        const before = await db.apiVersion.count({ where: { apiId } });
        const api = await db.api.findUniqueOrThrow({ where: { id: apiId } });
        // The same values saved again: the record's version moves, its state does not.
        await updateApi({ actor: owner }, apiId, api.version, {
          ...EMPTY_API_INPUT,
          name: api.name,
          purpose: api.purpose,
          teamId: api.teamId,
          exposure: "INTERNAL" as const,
          modifiesData: "yes" as const,
          readsNonPublic: "yes" as const,
          authMethods: ["MTLS" as const],
          authzModel: "RBAC" as const,
          centrallyLogged: "no" as const,
        });
        expect((await db.api.findUniqueOrThrow({ where: { id: apiId } })).version).toBe(api.version + 1);
        expect(await db.apiVersion.count({ where: { apiId } })).toBe(before);
      });
    },
  );
}
