import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { importBackstageCatalog, previewBackstageCatalog } from "@/lib/backstage/import-backstage-catalog";
import { backstageProblems } from "@/lib/testing/backstage-problems";
import { buildZip, renameEntry, type ZipFileSpec } from "@/lib/testing/forged-zip";
import { personActor } from "@/lib/testing/actors";

// A Backstage catalog uploaded as a ZIP bundle, as a repository holds it: catalog-info.yaml and the
// definitions its entities reference. The definitions are real descriptions (../shared/data/openapi,
// see its SOURCES.md for where each comes from and its counts), read by path, never copied here.
const DATA = path.resolve("../shared/data/openapi");
const read = (file: string) => fs.readFileSync(path.join(DATA, file));

const yamlOf = (docs: unknown[]) => docs.map((d) => `---\n${stringify(d)}`).join("");
const entity = (name: string, definition: unknown, owner = "group:default/payments") => ({
  apiVersion: "backstage.io/v1alpha1",
  kind: "API",
  metadata: { name, description: `The ${name} API.`, annotations: { "apiledger.io/sensitivity": "OFFICIAL" } },
  spec: { type: "openapi", lifecycle: "production", owner, definition },
});
const bundle = (catalog: unknown[], files: ZipFileSpec[] = [], at = "catalog-info.yaml") =>
  buildZip([{ name: at, data: yamlOf(catalog) }, ...files]);

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf((provider === "sqlite" || (await isPostgresAvailable())) && fs.existsSync(DATA))(
    `Backstage catalog bundles on ${provider}`,
    () => {
      let database: TestDatabase;
      let dataDir: string;
      let owner: Actor, otherOwner: Actor;
      beforeAll(async () => {
        database = await useTestDatabase(provider);
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-bundle-"));
        process.env.APILEDGER_DATA_DIR = dataDir;
        await seedDemo();
        owner = await personActor("owner@example.com");
        otherOwner = await personActor("sam.owner@example.com");
      });
      afterAll(async () => {
        delete process.env.APILEDGER_DATA_DIR;
        fs.rmSync(dataDir, { recursive: true, force: true });
        await database?.drop();
      });

      it("reads a repository's catalog-info.yaml with $text: ./openapi.yaml, scans and attaches it, audited; a missing file is named", async () => {
        const catalog = [
          entity("petstore", { $text: "./openapi.yaml" }),
          entity("petstore-v4", { $text: "./v4.yaml" }),
        ];
        // What Backstage itself accepts once its resolver replaced the $text with the file's text.
        const petstore = read("swagger-petstore3-openapi.yaml").toString("utf8");
        expect(
          await backstageProblems(catalog.map((e) => ({ ...e, spec: { ...e.spec, definition: petstore } }))),
        ).toEqual([]);
        const zip = await bundle(catalog, [{ name: "openapi.yaml", data: read("swagger-petstore3-openapi.yaml") }]);
        const preview = await previewBackstageCatalog({ actor: owner }, { bundle: zip });
        expect(preview).toMatchObject({ ok: true, creates: 2, fileErrors: [] });
        // Counts from SOURCES.md: 19 operations, 11 writes, 6 of them without authentication.
        expect(preview.rows[0]!.notes!.at(-1)).toMatch(
          /^Read openapi.yaml from the bundle \(openapi-3.0, 19 operation\(s\), 6 without authentication among 11 write\(s\), \d+ finding\(s\)\): scanned and attached once imported\.$/,
        );
        expect(preview.rows[1]!.notes!.at(-1)).toBe("Not read from the bundle: v4.yaml is not in the bundle.");
        expect(await db.api.count({ where: { name: "petstore" } })).toBe(0);

        const audit = await db.auditEntry.count();
        const lastSeq = (await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
        const done = await importBackstageCatalog({ actor: owner }, { bundle: zip });
        expect(done.rows[0]!.notes!.at(-1)).toMatch(
          /^Description openapi.yaml read from the bundle and attached: 19 operation\(s\), \d+ finding\(s\)\.$/,
        );
        const api = await db.api.findFirstOrThrow({ where: { name: "petstore" }, include: { description: true } });
        expect(api.description).toMatchObject({
          source: "upload",
          sourceUrl: "openapi.yaml",
          dialect: "openapi-3.0",
          operations: 19,
          writes: 11,
          anonWrites: 6,
        });
        expect(await db.apiDescription.count({ where: { api: { name: "petstore-v4" } } })).toBe(0);
        // Two registrations in the import's write, then the attachment as its own audited write.
        const entries = await db.auditEntry.findMany({ where: { seq: { gt: lastSeq } }, orderBy: { seq: "asc" } });
        expect(entries.map((e) => e.action)).toEqual(["api.create", "api.create", "api.description"]);
        expect(entries[2]).toMatchObject({ targetId: api.id });
        expect(JSON.parse(entries[2]!.diff).changes).toMatchObject({
          source: { to: "upload" },
          sourceUrl: { to: "openapi.yaml" },
          operations: { to: 19 },
        });

        // The same bundle again: unchanged, and the description is already this file; nothing is written.
        const again = await importBackstageCatalog({ actor: owner }, { bundle: zip });
        expect(again.rows[0]).toMatchObject({ action: "unchanged" });
        expect(again.rows[0]!.notes!.at(-1)).toMatch(/the API already has this description attached\.$/);
        expect(await db.auditEntry.count()).toBe(audit + 3);
        // The repository's openapi.yaml moved on while catalog-info.yaml did not: attached again, audited.
        const moved = await bundle(catalog, [{ name: "openapi.yaml", data: read("alertmanager-api-v2-openapi.yaml") }]);
        const next = await importBackstageCatalog({ actor: owner }, { bundle: moved });
        expect(next.rows[0]).toMatchObject({ action: "unchanged" });
        expect(next.rows[0]!.notes!.at(-1)).toMatch(
          /^Description openapi.yaml read from the bundle and attached: 9 op/,
        );
        expect(await db.auditEntry.count()).toBe(audit + 4);
        // Someone who may not change the API is told so, and nothing is read for them.
        const refused = await previewBackstageCatalog({ actor: otherOwner }, { bundle: zip });
        expect(refused.rows[0]!.notes!.at(-1)).toBe("Not read from the bundle: you cannot change this API.");
      });

      it("$json and $yaml embed the parsed value; references resolve from each catalog file's own folder", async () => {
        const zip = await buildZip([
          {
            name: "repo-main/services/crapi/catalog-info.yaml",
            data: yamlOf([entity("crapi", { $json: "../../specs/crapi.json" })]),
          },
          {
            name: "repo-main/services/harbor/catalog-info.yml",
            data: yamlOf([entity("harbor", { $yaml: "harbor.yaml" }), entity("harbor-json", { $json: "harbor.yaml" })]),
          },
          { name: "repo-main/specs/crapi.json", data: read("crapi-openapi-spec.json") },
          { name: "repo-main/services/harbor/harbor.yaml", data: read("harbor-v2.0-swagger.yaml") },
        ]);
        const done = await importBackstageCatalog({ actor: owner }, { bundle: zip });
        expect(done.rows.map((r) => r.name)).toEqual(["crapi", "harbor", "harbor-json"]);
        expect(done.rows[2]!.notes!.at(-1)).toMatch(/^Not read from the bundle: .*harbor.yaml is not JSON: /);
        const described = await db.apiDescription.findMany({
          where: { api: { name: { in: ["crapi", "harbor"] } } },
          select: { api: { select: { name: true } }, format: true, operations: true, writes: true, sourceUrl: true },
          orderBy: { operations: "asc" },
        });
        // SOURCES.md: crAPI 44 operations (28 writes), Harbor 203 (88).
        expect(described).toEqual([
          {
            api: { name: "crapi" },
            format: "json",
            operations: 44,
            writes: 28,
            sourceUrl: "repo-main/specs/crapi.json",
          },
          {
            api: { name: "harbor" },
            format: "yaml",
            operations: 203,
            writes: 88,
            sourceUrl: "repo-main/services/harbor/harbor.yaml",
          },
        ]);
      });

      it("attaches after an import sent with an Idempotency-Key, and a retry with the key writes nothing more", async () => {
        const zip = await bundle(
          [entity("idempotent", { $text: "./openapi.yaml" })],
          [{ name: "openapi.yaml", data: read("alertmanager-api-v2-openapi.yaml") }],
        );
        const idempotency = {
          principal: owner.id!,
          key: "bundle-1",
          method: "POST",
          route: "/api/v1/backstage/import",
          requestHash: "h",
        };
        const done = await importBackstageCatalog({ actor: owner, idempotency }, { bundle: zip });
        expect(done.rows[0]!.notes!.at(-1)).toMatch(
          /^Description openapi.yaml read from the bundle and attached: 9 op/,
        );
        expect(await db.apiDescription.count({ where: { api: { name: "idempotent" } } })).toBe(1);
        const audit = await db.auditEntry.count();
        // (Over REST the route answers a retry from the key before reading the body; here the service sees it.)
        const retry = await importBackstageCatalog({ actor: owner, idempotency }, { bundle: zip });
        expect(retry.rows[0]).toMatchObject({ action: "unchanged" });
        expect(await db.auditEntry.count()).toBe(audit);
      });

      it("a reference never leaves the bundle, and what is no description says why", async () => {
        const refs = [
          "../openapi.yaml",
          "/etc/passwd",
          "%2e%2e/openapi.yaml",
          "..\\openapi.yaml",
          "file:///etc/passwd",
        ];
        const catalog = [
          ...refs.map((target, i) => entity(`escape-${i}`, { $text: target })),
          entity("graphql", { $text: "./schema.graphql" }),
        ];
        const preview = await previewBackstageCatalog(
          { actor: owner },
          { bundle: await bundle(catalog, [{ name: "schema.graphql", data: "type Query { a: Int }\n" }]) },
        );
        expect(preview.ok).toBe(true);
        expect(preview.rows.map((r) => r.notes!.at(-1))).toEqual([
          "Not read from the bundle: ../openapi.yaml points outside the bundle.",
          "Not read from the bundle: /etc/passwd is an absolute path, not relative to the catalog file.",
          "Not read from the bundle: %2e%2e/openapi.yaml points outside the bundle.",
          "Not read from the bundle: ..\\openapi.yaml contains a backslash.",
          "Not read from the bundle: file:///etc/passwd is a URL or drive path, not a file in the bundle.",
          expect.stringMatching(/^Not attached: schema.graphql in the bundle is not a description ApiLedger scans: /),
        ]);
        // A YAML catalog cannot reach files at all: the reference is kept, and the row says how to have it read.
        const yaml = await previewBackstageCatalog(
          { actor: owner },
          yamlOf([entity("plain", { $text: "./openapi.yaml" })]),
        );
        expect(yaml.rows[0]!.notes!.at(-1)).toMatch(/^Not read: a file beside the catalog is read from a ZIP bundle/);
      });

      it("refuses hostile or unusable bundles as file errors, never a server error, and writes nothing", async () => {
        const catalog = [entity("hostile", { $text: "./openapi.yaml" })];
        const spec = { name: "openapi.yaml", data: read("alertmanager-api-v2-openapi.yaml") };
        const cases: [string, Buffer, RegExp][] = [
          ["not a ZIP", Buffer.from("PK\u0003\u0004 but no archive"), /not a readable ZIP archive/],
          ["no catalog", await buildZip([spec]), /holds no catalog-info.yaml/],
          ["zip bomb", await bundle(catalog, [{ name: "openapi.yaml", data: Buffer.alloc(8 << 20) }]), /zip bomb/],
          ["symbolic link", await bundle(catalog, [{ ...spec, data: "/etc/passwd", mode: 0o120777 }]), /symbolic link/],
          [
            "climbing entry",
            renameEntry(
              await bundle(catalog, [{ ...spec, name: "QQ/openapi.yaml" }]),
              "QQ/openapi.yaml",
              "../openapi.yaml",
            ),
            /climbs out of the archive/,
          ],
          ["duplicate", await bundle(catalog, [spec, spec]), /appears twice/],
          [
            "broken catalog",
            await buildZip([{ name: "catalog-info.yaml", data: "kind: [" }]),
            /^catalog-info.yaml: The file is not valid YAML/,
          ],
        ];
        const before = { apis: await db.api.count(), audit: await db.auditEntry.count() };
        for (const [label, zip, message] of cases) {
          const preview = await previewBackstageCatalog({ actor: owner }, { bundle: zip });
          expect(preview, label).toMatchObject({ ok: false, rows: [] });
          expect(preview.fileErrors[0], label).toMatch(message);
          await expect(importBackstageCatalog({ actor: owner }, { bundle: zip }), label).rejects.toMatchObject({
            code: "VALIDATION",
            fieldErrors: { file: [expect.stringMatching(message)] },
          });
        }
        expect({ apis: await db.api.count(), audit: await db.auditEntry.count() }).toEqual(before);
      });
    },
  );
}
