import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import { createClient } from "@/lib/clients/create-client";
import { updateClient } from "@/lib/clients/update-client";
import { deleteClient } from "@/lib/clients/delete-client";
import { importClients, previewClientImport } from "@/lib/clients/import-clients";
import { listClients } from "@/lib/clients/queries";
import { EMPTY_CLIENT_INPUT } from "@/lib/clients/schemas";
import type { Actor } from "@/lib/authz/policy";

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`clients and grants on ${provider}`, () => {
    let database: TestDatabase;
    let owner: Actor;
    let auditor: Actor;
    let ledgerId: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      const o = await db.user.findUniqueOrThrow({ where: { email: "owner@example.com" } });
      owner = { kind: "user", id: o.id, email: o.email, role: "SYSTEM_OWNER", teamId: o.teamId };
      const a = await db.user.findUniqueOrThrow({ where: { email: "auditor@example.com" } });
      auditor = { kind: "user", id: a.id, email: a.email, role: "AUDITOR", teamId: null };
      ledgerId = (await db.api.findFirstOrThrow({ where: { name: "Payments Ledger API" } })).id;
    });
    afterAll(async () => database?.drop());

    it("a system owner grants, changes and removes access on their own API, each audited", async () => {
      const { id } = await createClient({ actor: owner }, ledgerId, {
        ...EMPTY_CLIENT_INPUT,
        name: "payroll-batch",
        scopes: ["ledger:write"],
        canModify: true,
        credentialIssuedAt: "2020-01-01",
      });
      const { clients } = await listClients(owner, ledgerId, "PROTECTED");
      expect(
        clients
          .find((c) => c.id === id)!
          .flags.map((f) => f.kind)
          .sort(),
      ).toEqual(["NOT_ROTATED", "NO_APPROVER", "WRITE_ON_PROTECTED"]);
      await updateClient({ actor: owner }, ledgerId, id, 1, {
        ...EMPTY_CLIENT_INPUT,
        name: "payroll-batch",
        approvedBy: "CFO",
        approvedAt: "2026-10-01",
        credentialIssuedAt: "2026-10-01",
      });
      await expect(
        updateClient({ actor: owner }, ledgerId, id, 1, { ...EMPTY_CLIENT_INPUT, name: "payroll-batch" }),
      ).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(
        createClient({ actor: owner }, ledgerId, { ...EMPTY_CLIENT_INPUT, name: "payroll-batch" }),
      ).rejects.toMatchObject({ code: "CONFLICT" });
      await deleteClient({ actor: owner }, ledgerId, id);
      const actions = (
        await db.auditEntry.findMany({
          where: { targetId: ledgerId, action: { startsWith: "client." }, summary: { contains: "payroll-batch" } },
          orderBy: { seq: "asc" },
        })
      ).map((e) => e.action);
      expect(actions).toEqual(["client.create", "client.update", "client.delete"]);
    });

    it("refuses other teams' APIs and auditors", async () => {
      const other = await db.api.findFirstOrThrow({ where: { name: "Token Service" } });
      await expect(
        createClient({ actor: owner }, other.id, { ...EMPTY_CLIENT_INPUT, name: "x" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        createClient({ actor: auditor }, ledgerId, { ...EMPTY_CLIENT_INPUT, name: "x" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    });

    const GOOD = [
      "api,client,kind,credential_type,scopes,can_modify,approved_by,approved_at,issued_at,expires_at,rotated_at,last_seen_at",
      "Payments Ledger API,gl-sync,Service account,Client certificate,ledger:read;ledger:write,yes,CFO,2026-09-01,2026-09-01,2027-09-01,,2026-11-20",
      "Refunds API,refund-portal,APPLICATION,OAUTH_CLIENT,refunds:write,no,Payments manager,2026-08-01,2026-08-01,2027-08-01,,",
    ].join("\n");

    it("previews a good file row by row, imports all of it, and updates existing clients on re-import", async () => {
      const preview = await previewClientImport({ actor: owner }, GOOD);
      expect(preview).toMatchObject({ ok: true, creates: 2, updates: 0, invalid: 0 });
      expect(await db.apiClient.count({ where: { name: { in: ["gl-sync", "refund-portal"] } } })).toBe(0);
      await importClients({ actor: owner }, GOOD);
      const gl = await db.apiClient.findFirstOrThrow({ where: { name: "gl-sync" } });
      expect(gl.scopes).toBe(",ledger:read,ledger:write,");
      expect(gl.canModify).toBe(true);
      expect(gl.credentialExpiresAt?.toISOString()).toBe("2027-09-01T00:00:00.000Z");
      expect(await previewClientImport({ actor: owner }, GOOD)).toMatchObject({ ok: true, creates: 0, updates: 2 });
    });

    it("reports every bad row and writes nothing: wrong columns, unknown APIs, bad dates, duplicates, other teams", async () => {
      const before = await db.apiClient.count();
      const wrongColumns = await previewClientImport({ actor: owner }, "api,client,colour\nx,y,blue");
      expect(wrongColumns.ok).toBe(false);
      expect(wrongColumns.fileErrors.join(" ")).toMatch(
        /Unknown column: colour.*|Missing required columns: kind, credential_type/,
      );
      expect(wrongColumns.fileErrors).toHaveLength(2);

      const bad = [
        "api,client,kind,credential_type,approved_at,expires_at,issued_at,can_modify",
        "Payments Ledger API,ok-client,service account,api key,,,,no",
        "No Such API,c1,service account,api key,,,,no",
        "Payments Ledger API,c2,robot,api key,2026-13-45,,,maybe",
        "Payments Ledger API,c3,service account,api key,,2026-01-01,2026-02-01,no",
        "Payments Ledger API,ok-client,service account,api key,,,,no",
        "Token Service,c4,service account,api key,,,,no",
      ].join("\n");
      const preview = await previewClientImport({ actor: owner }, bad);
      expect(preview.ok).toBe(false);
      expect(preview.invalid).toBe(5);
      const errors = Object.fromEntries(preview.rows.map((r) => [r.line, r.errors.join(" | ")]));
      expect(errors[2]).toBe("");
      expect(errors[3]).toMatch(/no API is named “No Such API”/);
      expect(errors[4]).toMatch(/kind: Choose a valid client kind/);
      expect(errors[4]).toMatch(/approved_at: Approval date must be a date like 2026-11-22/);
      expect(errors[4]).toMatch(/can_modify: .*use yes or no/);
      expect(errors[5]).toMatch(/expires_at: The expiry date is before the issue date/);
      expect(errors[6]).toMatch(/Duplicate grant: line 2 already lists client “ok-client”/);
      expect(errors[7]).toMatch(/you cannot manage the clients of this API/);
      await expect(importClients({ actor: owner }, bad)).rejects.toMatchObject({ code: "VALIDATION" });
      expect(await db.apiClient.count()).toBe(before);
      expect((await previewClientImport({ actor: owner }, 'not,a\n"broken')).fileErrors[0]).toMatch(
        /not valid CSV|Unknown column/,
      );
    });
  });
}
