// Placement tricks, tried as an attacker would on both databases: where an API sits (its team and its
// owner) changes only through api:move-team and api:assign-owner, in the form/REST services and the
// Backstage import alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { createApi } from "@/lib/apis/create-api";
import { updateApi } from "@/lib/apis/update-api";
import { deleteApi } from "@/lib/apis/delete-api";
import { bulkCreateApis } from "@/lib/apis/bulk-create-apis";
import { getApi } from "@/lib/apis/queries";
import { toEditInput } from "@/lib/apis/edit-input";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { exportCatalog } from "@/lib/backstage/export-catalog";
import { importBackstageCatalog, previewBackstageCatalog } from "@/lib/backstage/import-backstage-catalog";
import { catalogDocuments } from "@/lib/testing/catalog-documents";
import { personActor } from "@/lib/testing/actors";

const yamlOf = (docs: unknown[]) => docs.map((d) => `---\n${stringify(d)}`).join("");

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`API placement on ${provider}`, () => {
    let database: TestDatabase;
    let owner: Extract<Actor, { kind: "user" }>,
      manager: Extract<Actor, { kind: "user" }>,
      admin: Extract<Actor, { kind: "user" }>,
      identityOwner: Extract<Actor, { kind: "user" }>;
    let payments: string, identity: string, ledgerId: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      [owner, manager, admin, identityOwner] = (await Promise.all(
        ["owner@example.com", "manager@example.com", "admin@example.com", "sam.owner@example.com"].map((email) =>
          personActor(email),
        ),
      )) as [typeof owner, typeof owner, typeof owner, typeof owner];
      payments = owner.teamId!;
      identity = identityOwner.teamId!;
      ledgerId = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
    });
    afterAll(async () => database?.drop());

    const input = (name: string, teamId: string, ownerId: string) => ({
      ...EMPTY_API_INPUT,
      name,
      purpose: "Placement test.",
      teamId,
      ownerId,
    });
    const unchanged = async (run: () => Promise<unknown>, code: string) => {
      const before = { apis: await db.api.findMany({ orderBy: { id: "asc" } }), audit: await db.auditEntry.count() };
      await expect(run()).rejects.toMatchObject({ code });
      expect({ apis: await db.api.findMany({ orderBy: { id: "asc" } }), audit: await db.auditEntry.count() }).toEqual(
        before,
      );
    };

    it("an owner cannot register an API in their team owned by another team's owner (who could then delete it)", async () => {
      const attempt = () => createApi({ actor: owner }, input("Planted API", payments, identityOwner.id));
      await unchanged(attempt, "FORBIDDEN");
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toMatchObject({
        fieldErrors: { ownerId: [expect.stringMatching(/only yourself or another member of your team/)] },
      });
      await unchanged(
        () => bulkCreateApis({ actor: owner }, [input("Planted in bulk", payments, identityOwner.id)]),
        "FORBIDDEN",
      );
      // Themselves, a colleague of their team, or nobody: fine.
      const { id } = await createApi({ actor: owner }, input("Colleague's API", payments, manager.id));
      await createApi({ actor: owner }, input("Unowned API", payments, ""));
      // The colleague's API stays the team's: the other team's owner still cannot delete it.
      await expect(deleteApi({ actor: identityOwner }, id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    it("an owner cannot move their own API into another team, nor hand it to another team's owner", async () => {
      const api = await getApi(owner, ledgerId);
      await unchanged(
        () => updateApi({ actor: owner }, ledgerId, api.version, { ...toEditInput(api), teamId: identity }),
        "FORBIDDEN",
      );
      await unchanged(
        () =>
          updateApi({ actor: owner }, ledgerId, api.version, {
            ...toEditInput(api),
            teamId: identity,
            ownerId: identityOwner.id,
          }),
        "FORBIDDEN",
      );
      await unchanged(
        () => updateApi({ actor: owner }, ledgerId, api.version, { ...toEditInput(api), ownerId: identityOwner.id }),
        "FORBIDDEN",
      );
      // A manager oversees the team's APIs, and names owners only within it.
      await unchanged(
        () => updateApi({ actor: manager }, ledgerId, api.version, { ...toEditInput(api), ownerId: identityOwner.id }),
        "FORBIDDEN",
      );
      await unchanged(
        () => updateApi({ actor: manager }, ledgerId, api.version, { ...toEditInput(api), teamId: identity }),
        "FORBIDDEN",
      );
      // Another team's owner gains nothing either (not theirs to edit in the first place).
      await unchanged(
        () =>
          updateApi({ actor: identityOwner }, ledgerId, api.version, {
            ...toEditInput(api),
            ownerId: identityOwner.id,
          }),
        "FORBIDDEN",
      );
      expect(
        await db.api.findUniqueOrThrow({ where: { id: ledgerId }, select: { teamId: true, ownerId: true } }),
      ).toEqual({ teamId: payments, ownerId: owner.id });
    });

    it("a team-limited admin token cannot move its team's API out, or place a new one in another team", async () => {
      const limited = {
        ...admin,
        token: { id: "t", scopes: ["inventory:read" as const, "inventory:write" as const], teamId: payments },
      };
      const api = await getApi(limited, ledgerId);
      await unchanged(
        () => updateApi({ actor: limited }, ledgerId, api.version, { ...toEditInput(api), teamId: identity }),
        "FORBIDDEN",
      );
      await unchanged(() => createApi({ actor: limited }, input("Placed elsewhere", identity, "")), "FORBIDDEN");
      // Within its team it names owners from anywhere, as the admin could.
      await updateApi({ actor: limited }, ledgerId, api.version, { ...toEditInput(api), ownerId: identityOwner.id });
      const back = await getApi(admin, ledgerId);
      await updateApi({ actor: admin }, ledgerId, back.version, { ...toEditInput(back), ownerId: owner.id });
    });

    it("an admin moves APIs and names owners anywhere, each change audited", async () => {
      const { id } = await createApi({ actor: owner }, input("Moving API", payments, owner.id));
      const api = await getApi(admin, id);
      await updateApi({ actor: admin }, id, api.version, {
        ...toEditInput(api),
        teamId: identity,
        ownerId: identityOwner.id,
      });
      expect(await db.api.findUniqueOrThrow({ where: { id }, select: { teamId: true, ownerId: true } })).toEqual({
        teamId: identity,
        ownerId: identityOwner.id,
      });
      const entry = await db.auditEntry.findFirstOrThrow({
        where: { targetId: id, action: "api.update" },
        orderBy: { seq: "desc" },
      });
      expect(JSON.parse(entry.diff).changes).toMatchObject({
        teamId: { from: payments, to: identity },
        ownerId: { from: owner.id, to: identityOwner.id },
      });
    });

    it("the Backstage import cannot move an API or hand it to another team's owner either", async () => {
      const docs = catalogDocuments(await exportCatalog(owner, payments));
      const ledger = docs.find((d) => d.metadata.title === "Payments Ledger API")!;
      const moved = { ...ledger, spec: { ...ledger.spec, owner: "group:default/identity-access" } };
      const handed = {
        ...ledger,
        metadata: {
          ...ledger.metadata,
          annotations: { ...ledger.metadata.annotations, "apiledger.io/owner-email": "sam.owner@example.com" },
        },
      };
      const planted = {
        apiVersion: "backstage.io/v1alpha1",
        kind: "API",
        metadata: {
          name: "planted",
          title: "Planted via Backstage",
          description: "x",
          annotations: { "apiledger.io/sensitivity": "OFFICIAL", "apiledger.io/owner-email": "sam.owner@example.com" },
        },
        spec: {
          type: "openapi",
          lifecycle: "experimental",
          owner: "group:default/payments",
          definition: "openapi: 3.1.0",
        },
      };
      for (const entity of [moved, handed, planted]) {
        const preview = await previewBackstageCatalog({ actor: owner }, yamlOf([entity]));
        expect(preview.ok).toBe(false);
        expect(preview.rows[0]!.errors.join(" ")).toMatch(
          /Only an administrator can move|only yourself or another member of your team/,
        );
        await unchanged(() => importBackstageCatalog({ actor: owner }, yamlOf([entity])), "VALIDATION");
      }
      // The same file from an admin goes through.
      expect(await previewBackstageCatalog({ actor: admin }, yamlOf([handed]))).toMatchObject({ ok: true, updates: 1 });
    });
  });
}
