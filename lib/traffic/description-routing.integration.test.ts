// Routing suggestions from OpenAPI descriptions (servers and paths), on SQLite and PostgreSQL: a
// description attached through the real service keeps its routes in the same audited write, the routing
// page suggests them until a rule takes them, and one scanned before routes were kept is read from its file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { asDatabaseAdmin } from "@/lib/testing/dba";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { personActor, signedInActor } from "@/lib/testing/actors";
import { attachDescription, removeDescription } from "@/lib/openapi-scan/attach-description";
import { deleteApi } from "@/lib/apis/delete-api";
import { createTrafficRoute, deleteTrafficRoute } from "@/lib/traffic/routes";
import { listRouteSuggestions, listRouting, type RouteSuggestion } from "@/lib/traffic/routing-queries";
import { FROM_DESCRIPTION } from "@/lib/traffic/route-candidates";
import { parseSuggestionView } from "@/lib/traffic/list-view";

const DATA = path.resolve("../shared/data/openapi");
const read = (file: string) => fs.readFileSync(path.join(DATA, file), "utf8");

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf((provider === "sqlite" || (await isPostgresAvailable())) && fs.existsSync(DATA))(
    `routing suggestions from OpenAPI descriptions on ${provider}`,
    () => {
      let database: TestDatabase;
      let dataDir: string;
      let admin: Actor, owner: Actor;
      let ledger: { id: string; teamId: string; environments: string };
      let others: { id: string; name: string }[];

      beforeAll(async () => {
        database = await useTestDatabase(provider);
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-routes-"));
        process.env.APILEDGER_DATA_DIR = dataDir;
        await seedDemo();
        admin = await signedInActor("admin@example.com");
        owner = await personActor("owner@example.com");
        ledger = await db.api.findFirstOrThrow({
          where: { name: "Payments Ledger API" },
          select: { id: true, teamId: true, environments: true },
        });
        others = await db.api.findMany({
          where: { deletedAt: null, id: { not: ledger.id } },
          select: { id: true, name: true },
          orderBy: { name: "asc" },
          take: 4,
        });
      });
      afterAll(async () => {
        delete process.env.APILEDGER_DATA_DIR;
        fs.rmSync(dataDir, { recursive: true, force: true });
        await database?.drop();
      });

      /** Every suggestion for the API, read page by page as the page's table does. */
      const suggestionsOf = async (apiId: string) => {
        const all: RouteSuggestion[] = [];
        for (let page = 1; ; page++) {
          const { rows, total } = await listRouteSuggestions(admin, parseSuggestionView({ page: String(page) }));
          all.push(...rows);
          if (all.length >= total || rows.length === 0) break;
        }
        return all.filter((s) => s.apiId === apiId);
      };

      it("a description's servers and paths are kept at its scan and suggested until a rule takes them", async () => {
        expect((await suggestionsOf(ledger.id)).filter((s) => s.from === FROM_DESCRIPTION)).toEqual([]);
        await attachDescription({ actor: owner }, ledger.id, read("swagger-petstore3-openapi.yaml"), {
          kind: "upload",
        });
        const row = await db.apiDescription.findUniqueOrThrow({ where: { apiId: ledger.id } });
        expect(JSON.parse(row.routes!)).toEqual([{ host: "petstore3.swagger.io", pathPrefix: "/api/v3" }]);
        // One audited write: the entry of the attachment is the only one.
        expect(await db.auditEntry.count({ where: { targetId: ledger.id, action: "api.description" } })).toBe(1);

        const suggested = (await suggestionsOf(ledger.id)).find((s) => s.from === FROM_DESCRIPTION);
        expect(suggested).toMatchObject({
          teamId: ledger.teamId,
          host: "petstore3.swagger.io",
          pathPrefix: "/api/v3",
        });
        // What "Add rule" sends (components/traffic/route-table.tsx): the suggestion as it is.
        const s = suggested as RouteSuggestion;
        await createTrafficRoute(
          { actor: admin },
          { teamId: s.teamId, apiId: s.apiId, host: s.host, pathPrefix: s.pathPrefix, gatewayRoute: "" },
        );
        expect((await suggestionsOf(ledger.id)).filter((x) => x.from === FROM_DESCRIPTION)).toEqual([]);
        expect((await listRouting(admin)).rules).toContainEqual(
          expect.objectContaining({ host: "petstore3.swagger.io", pathPrefix: "/api/v3" }),
        );
      });

      it("a route a base URL already suggests is suggested once, from the base URL", async () => {
        const [production] = JSON.parse(ledger.environments) as { name: string; baseUrl: string }[];
        const description = JSON.stringify({
          openapi: "3.0.3",
          info: { title: "Ledger", version: "1" },
          servers: [{ url: production!.baseUrl }, { url: "https://ledger-b.example.gov.au/{v}", variables: {} }],
          paths: { "/entries": {}, "/balances": {} },
        });
        await attachDescription({ actor: owner }, ledger.id, description, { kind: "upload" });
        const host = new URL(production!.baseUrl).hostname;
        const forHost = (await suggestionsOf(ledger.id)).filter((s) => s.host === host && s.pathPrefix === "");
        expect(forHost).toEqual([expect.objectContaining({ from: `${production!.name} base URL` })]);
        // The server whose variable has no default names no host.
        expect((await suggestionsOf(ledger.id)).filter((s) => s.host === "ledger-b.example.gov.au")).toEqual([]);
      });

      it("a description scanned before routes were kept is read from its file, without writing", async () => {
        const [legacy] = others;
        await attachDescription({ actor: admin }, legacy!.id, read("netbird-management-openapi.yml"), { kind: "api" });
        await asDatabaseAdmin(
          database,
          ['UPDATE "ApiDescription" SET "routes" = NULL WHERE "apiId" = ?'],
          [[legacy!.id]],
        );
        const before = await db.apiDescription.findUniqueOrThrow({ where: { apiId: legacy!.id } });
        expect(before.routes).toBeNull();
        expect(await suggestionsOf(legacy!.id)).toContainEqual(
          expect.objectContaining({ host: "api.netbird.io", pathPrefix: "/api", from: FROM_DESCRIPTION }),
        );
        const after = await db.apiDescription.findUniqueOrThrow({ where: { apiId: legacy!.id } });
        expect(after).toEqual(before);
      });

      it("an old description whose file cannot be read suggests nothing, and the page still loads", async () => {
        const missing = others[1]!;
        const description = JSON.stringify({
          openapi: "3.0.3",
          info: { title: `Gone on ${provider}`, version: "1" },
          servers: [{ url: "https://gone.example/" }],
          paths: { "/x": {} },
        });
        await attachDescription({ actor: admin }, missing.id, description, { kind: "upload" });
        const { fileSha256 } = await db.apiDescription.findUniqueOrThrow({ where: { apiId: missing.id } });
        await asDatabaseAdmin(
          database,
          ['UPDATE "ApiDescription" SET "routes" = NULL WHERE "apiId" = ?'],
          [[missing.id]],
        );
        fs.rmSync(path.join(dataDir, "files", fileSha256.slice(0, 2), fileSha256));
        expect(await suggestionsOf(missing.id)).not.toContainEqual(expect.objectContaining({ host: "gone.example" }));
        expect((await suggestionsOf(others[0]!.id)).some((s) => s.host === "api.netbird.io")).toBe(true);
      });

      it("a retired API's description, and a hostile one, suggest nothing that cannot be added", async () => {
        const [, , hostile, retired] = others;
        await attachDescription({ actor: admin }, retired!.id, read("keycloak-admin-23.0.7.json"), { kind: "api" });
        expect(await suggestionsOf(retired!.id)).toContainEqual(
          expect.objectContaining({ host: "keycloak.example.com", pathPrefix: "/admin/realms" }),
        );
        await deleteApi({ actor: admin }, retired!.id);
        expect(await suggestionsOf(retired!.id)).toEqual([]);

        const servers = [
          { url: "javascript:alert(1)" },
          { url: "https://evil\u202E.example/" },
          { url: "https://ok.example/a\u202Eb" },
          { url: "https://spaced.example/a%20b" },
          ...Array.from({ length: 5000 }, (_, i) => ({ url: `https://h${i}.example/` })),
        ];
        const description = JSON.stringify({
          openapi: "3.1.0",
          info: { title: "Hostile", version: "1" },
          servers,
          paths: { "/v1/\u2066x": {}, "/v1/y": {} },
        });
        await attachDescription({ actor: admin }, hostile!.id, description, { kind: "upload" });
        const kept = JSON.parse((await db.apiDescription.findUniqueOrThrow({ where: { apiId: hostile!.id } })).routes!);
        expect(kept).toHaveLength(20);
        expect(kept[0]).toEqual({ host: "spaced.example", pathPrefix: "/a b/v1" });
        const suggested = (await suggestionsOf(hostile!.id)).filter((s) => s.from === FROM_DESCRIPTION);
        // The route with a space is kept but not suggested: a rule's path prefix cannot hold one.
        expect(suggested).toHaveLength(19);
        expect(suggested.every((s) => /^h\d+\.example$/.test(s.host) && s.pathPrefix === "/v1")).toBe(true);
      });

      it("a route a broader rule already sends to the same API is not suggested; one it sends elsewhere is", async () => {
        const legacy = await db.api.findUniqueOrThrow({
          where: { id: others[0]!.id },
          select: { id: true, teamId: true },
        });
        const sibling = await db.api.findFirstOrThrow({
          where: { teamId: legacy.teamId, deletedAt: null, id: { not: legacy.id } },
          select: { id: true },
        });
        const netbird = expect.objectContaining({ host: "api.netbird.io", pathPrefix: "/api" });
        expect(await suggestionsOf(legacy.id)).toContainEqual(netbird);
        const rule = (apiId: string) =>
          createTrafficRoute(
            { actor: admin },
            { teamId: legacy.teamId!, apiId, host: "api.netbird.io", pathPrefix: "", gatewayRoute: "" },
          );
        // The whole host goes to another API: the narrower rule would still send /api to this one.
        const elsewhere = await rule(sibling.id);
        expect(await suggestionsOf(legacy.id)).toContainEqual(netbird);
        await deleteTrafficRoute({ actor: admin }, elsewhere.id);
        // The whole host goes to this API already: /api adds nothing.
        await rule(legacy.id);
        expect(await suggestionsOf(legacy.id)).not.toContainEqual(netbird);
      });

      it("a description removed while another is attached is no longer suggested at the next load", async () => {
        const [first, second] = await db.api.findMany({
          where: { deletedAt: null, id: { notIn: [ledger.id, ...others.map((o) => o.id)] } },
          select: { id: true },
          take: 2,
        });
        if (!first || !second) throw new Error("the demo data has fewer APIs than this test needs");
        const petstore = read("swagger-petstore3-openapi.yaml");
        await attachDescription({ actor: admin }, first.id, petstore, { kind: "upload" });
        const fromDescription = async (apiId: string) =>
          (await suggestionsOf(apiId)).filter((x) => x.from === FROM_DESCRIPTION).map((x) => x.host);
        expect(await fromDescription(first.id)).toEqual(["petstore3.swagger.io"]);
        // Between two loads: one description goes, another comes, and the count is the same.
        await removeDescription({ actor: admin }, first.id);
        await attachDescription({ actor: admin }, second.id, petstore, { kind: "upload" });
        expect(await fromDescription(first.id)).toEqual([]);
        expect(await fromDescription(second.id)).toEqual(["petstore3.swagger.io"]);
      });
    },
  );
}
