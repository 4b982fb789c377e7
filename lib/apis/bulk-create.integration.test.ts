// The bulk path (imports, benchmark seeding) on both databases: rows read back exactly as the
// single-row path writes them, each with its audit entry, and one bad row writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { bulkCreateApis } from "@/lib/apis/bulk-create-apis";
import { createApi } from "@/lib/apis/create-api";
import { createTeam } from "@/lib/teams/create-team";
import { getApi } from "@/lib/apis/queries";
import { EMPTY_API_INPUT, type TApiInput } from "@/lib/apis/schemas";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/authz/policy";

const SYSTEM: Actor = { kind: "system", id: null, email: "system@test" };

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`bulk API creation on ${provider}`, () => {
    let database: TestDatabase;
    let teamId: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      teamId = (await createTeam({ actor: SYSTEM }, { name: "Bulk", description: "" })).id;
    });
    afterAll(async () => database?.drop());

    const input = (name: string): TApiInput => ({
      ...EMPTY_API_INPUT,
      name,
      purpose: "Bulk created",
      teamId,
      exposure: "PARTNER",
      partnerLinkPrivate: true,
      modifiesData: "yes",
      readsNonPublic: "unknown",
      sensitivity: "PROTECTED",
      authMethods: ["MTLS", "API_KEY"],
      authzModel: "SCOPES",
      centrallyLogged: "yes",
      loggingDestination: "SIEM",
      environments: [{ name: "prod", baseUrl: "https://x.example" }],
      tags: ["Bulk"],
    });

    it("stores rows that read back the same as a single create, each with its audit entry", async () => {
      const { id: single } = await createApi({ actor: SYSTEM }, input("Single"));
      await bulkCreateApis(
        { actor: SYSTEM },
        Array.from({ length: 1200 }, (_, i) => input(`Bulk ${i}`)),
      );
      const bulkRow = await db.api.findFirstOrThrow({ where: { name: "Bulk 7" } });
      const a = await getApi(SYSTEM, single);
      const b = await getApi(SYSTEM, bulkRow.id);
      const strip = (x: typeof a) => ({ ...x, id: "", name: "", createdAt: "", updatedAt: "" });
      expect(strip(b)).toEqual(strip(a));
      expect(new Date(b.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(b.controls["ism-2013"]).toBe("MET");
      expect(b.partnerLinkPrivate).toBe(true);
      expect(await db.auditEntry.count({ where: { action: "api.create" } })).toBe(1201);
      expect((await verifyAuditChain()).ok).toBe(true);
    });

    it("writes nothing when any row is invalid", async () => {
      const before = await db.api.count();
      const rows: unknown[] = [input("Good 1"), { ...input("Bad"), sensitivity: "COSMIC" }, input("Good 2")];
      await expect(bulkCreateApis({ actor: SYSTEM }, rows)).rejects.toMatchObject({
        code: "VALIDATION",
        message: "Row 2 is not valid.",
      });
      expect(await db.api.count()).toBe(before);
    });
  });
}
