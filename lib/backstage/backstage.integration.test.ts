import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isPostgresAvailable, useTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { db } from "@/lib/db/client";
import { seedDemo } from "@/prisma/seed";
import type { Actor } from "@/lib/authz/policy";
import { exportCatalog } from "@/lib/backstage/export-catalog";
import { importBackstageCatalog, previewBackstageCatalog } from "@/lib/backstage/import-backstage-catalog";
import { catalogDocuments } from "@/lib/testing/catalog-documents";
import { createApi } from "@/lib/apis/create-api";
import { EMPTY_API_INPUT } from "@/lib/apis/schemas";
import { updateSettings } from "@/lib/settings/update-settings";
import { getSettings } from "@/lib/settings/queries";
import { parseEntityRef, stringifyEntityRef, type Entity } from "@backstage/catalog-model";
import { backstageProblems } from "@/lib/testing/backstage-problems";
import { personActor } from "@/lib/testing/actors";

const yamlOf = (docs: unknown[]) => docs.map((d) => `---\n${stringify(d)}`).join("");

for (const provider of ["sqlite", "postgres"] as const) {
  describe.runIf(provider === "sqlite" || (await isPostgresAvailable()))(`Backstage catalog on ${provider}`, () => {
    let database: TestDatabase;
    let owner: Actor, admin: Actor;
    let paymentsTeamId: string;
    beforeAll(async () => {
      database = await useTestDatabase(provider);
      await seedDemo();
      owner = await personActor("owner@example.com");
      admin = await personActor("admin@example.com");
      paymentsTeamId = owner.kind === "user" ? owner.teamId! : "";
    });
    afterAll(async () => database?.drop());

    it("exports every API as a kind: API entity, and re-importing the export changes nothing", async () => {
      const docs = catalogDocuments(await exportCatalog(admin, null), "API");
      expect(docs).toHaveLength(await db.api.count({ where: { deletedAt: null } }));
      const ledger = docs.find((d) => d.metadata.title === "Payments Ledger API")!;
      expect(ledger).toMatchObject({
        apiVersion: "backstage.io/v1alpha1",
        kind: "API",
        metadata: { name: "payments-ledger-api" },
        // No description is attached to it in the demo: not presented as an OpenAPI one.
        spec: { lifecycle: "production", owner: "group:default/payments", type: "other" },
      });
      expect(ledger.metadata.annotations["apiledger.io/sensitivity"]).toBeTruthy();
      const preview = await previewBackstageCatalog({ actor: admin }, yamlOf(docs));
      expect(preview).toMatchObject({ ok: true, creates: 0, updates: 0, invalid: 0 });
      expect(new Set(preview.rows.map((r) => r.action))).toEqual(new Set(["unchanged"]));
    });

    it("exports what Backstage's own validators accept: unique names, resolvable owners, transliterated names, exact round trip", async () => {
      // Names Backstage would fold together, names in other scripts, and tags Backstage's rules would change.
      const base = { ...EMPTY_API_INPUT, purpose: "Made for the validator test.", teamId: paymentsTeamId };
      await createApi({ actor: admin }, { ...base, name: "Payments-Ledger API", sensitivity: "OFFICIAL" });
      await createApi(
        { actor: admin },
        {
          ...base,
          name: "Whānau Ora Services ✓ 数据 API",
          sensitivity: "OFFICIAL",
          tags: ["pci dss", "Owner: Data & Analytics", "t".repeat(70)],
        },
      );
      const yaml = await exportCatalog(admin, null);
      const all = catalogDocuments(yaml);
      const problems = await backstageProblems(all);
      expect(problems).toEqual([]);
      // One entity per kind and name (Backstage refuses the second as a conflict)…
      const refs = all.map((e) => stringifyEntityRef(e as unknown as Entity));
      expect(new Set(refs).size).toBe(refs.length);
      // …every owner is an exported Group…
      for (const api of all.filter((e) => e.kind === "API"))
        expect(refs, api.metadata.name).toContain(stringifyEntityRef(parseEntityRef(api.spec.owner)));
      // …names in other scripts are transliterated, not dropped…
      const whanau = all.find((e) => e.metadata.title === "Whānau Ora Services ✓ 数据 API")!;
      expect(whanau.metadata.name).toMatch(/^whanau-ora-services-.*shu-?ju.*-api$/);
      expect(all.filter((e) => /^payments-ledger-api/.test(e.metadata.name)).map((e) => e.metadata.title)).toEqual(
        expect.arrayContaining(["Payments Ledger API", "Payments-Ledger API"]),
      );
      // …an API with no description is not presented as an OpenAPI one…
      expect(all.find((e) => e.metadata.title === "Payments-Ledger API")!.spec.type).toBe("other");
      // …and importing the export changes nothing, tags included.
      const preview = await previewBackstageCatalog({ actor: admin }, yaml);
      expect(preview).toMatchObject({ ok: true, creates: 0, updates: 0, invalid: 0 });
      expect(preview.rows.filter((r) => r.action === "skipped")).toHaveLength(
        all.filter((e) => e.kind === "Group").length,
      );
    });

    it("a dry run shows creates and field-level updates; any invalid entity means nothing is written", async () => {
      const docs = catalogDocuments(await exportCatalog(owner, paymentsTeamId), "API").slice(0, 2);
      docs[0]!.spec.lifecycle = "deprecated";
      const newSensitivity =
        docs[0]!.metadata.annotations["apiledger.io/sensitivity"] === "SECRET" ? "PROTECTED" : "SECRET";
      docs[0]!.metadata.annotations["apiledger.io/sensitivity"] = newSensitivity;
      const fresh = {
        apiVersion: "backstage.io/v1alpha1",
        kind: "API",
        metadata: {
          name: "fx-quotes",
          title: "FX Quotes API",
          description: "Foreign-exchange quotes for payments.",
          annotations: { "apiledger.io/sensitivity": "OFFICIAL", "apiledger.io/auth-methods": "MTLS" },
        },
        spec: {
          type: "openapi",
          lifecycle: "experimental",
          owner: "group:default/payments",
          definition: "openapi: 3.1.0",
        },
      };
      const component = { apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "web" }, spec: {} };
      const broken = {
        ...fresh,
        metadata: { ...fresh.metadata, name: "broken", title: "Broken API" },
        spec: { ...fresh.spec, owner: "group:default/nobody" },
      };
      const before = { apis: await db.api.count(), audit: await db.auditEntry.count() };
      const bad = await previewBackstageCatalog({ actor: owner }, yamlOf([...docs, fresh, component, broken]));
      expect(bad.ok).toBe(false);
      expect(bad.rows.map((r) => [r.action, r.errors.length])).toEqual([
        ["update", 0],
        ["unchanged", 0],
        ["create", 0],
        ["skipped", 0],
        [null, 1],
      ]);
      expect(bad.rows[0]!.changes).toEqual(
        expect.arrayContaining([
          "lifecycle: ACTIVE → DEPRECATED",
          expect.stringMatching(new RegExp(`^sensitivity: .* → ${newSensitivity}$`)),
        ]),
      );
      expect(bad.rows[4]!.errors[0]).toMatch(/spec.owner “group:default\/nobody” matches no team/);
      await expect(importBackstageCatalog({ actor: owner }, yamlOf([...docs, fresh, broken]))).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { "entity 4": [expect.stringMatching(/matches no team/)] },
      });
      expect({ apis: await db.api.count(), audit: await db.auditEntry.count() }).toEqual(before);

      const done = await importBackstageCatalog({ actor: owner }, yamlOf([...docs, fresh]));
      expect(done).toMatchObject({ creates: 1, updates: 1 });
      const updated = await db.api.findUniqueOrThrow({
        where: { id: docs[0]!.metadata.annotations["apiledger.io/id"] },
      });
      expect([updated.lifecycle, updated.sensitivity]).toEqual(["DEPRECATED", newSensitivity]);
      expect(await db.api.count({ where: { name: "FX Quotes API", teamId: paymentsTeamId } })).toBe(1);
      expect(await db.auditEntry.count()).toBe(before.audit + 2);
    });

    it("accepts a definition Backstage reads from elsewhere ($text, $json, $yaml), keeping it as a reference", async () => {
      const [ledger] = catalogDocuments(await exportCatalog(owner, paymentsTeamId), "API");
      const url = "https://git.example.gov.au/payments/ledger/-/raw/main/openapi.yaml";
      const refs = [{ $text: url }, { $yaml: "./openapi.yaml" }, { $json: "https://example.gov.au/openapi.json" }];
      for (const definition of refs) {
        const preview = await previewBackstageCatalog(
          { actor: owner },
          yamlOf([{ ...ledger, spec: { ...ledger!.spec, definition } }]),
        );
        expect(preview.rows[0]!.errors).toEqual([]);
        expect(preview.rows[0]!.notes![0]).toMatch(/kept as a reference/);
      }
      const preview = await previewBackstageCatalog(
        { actor: owner },
        yamlOf([{ ...ledger, spec: { ...ledger!.spec, definition: { $text: url } } }]),
      );
      expect(preview.rows[0]!.changes).toEqual([`openapiUrl: — → ${url}`]);
      // Not a substitution Backstage knows: refused, saying what is accepted.
      const bad = await previewBackstageCatalog(
        { actor: owner },
        yamlOf([{ ...ledger, spec: { ...ledger!.spec, definition: { $include: url } } }]),
      );
      expect(bad.rows[0]!.errors).toEqual([expect.stringMatching(/\$text, \$json or \$yaml/)]);
    });

    it("imports a catalog as Backstage's own examples write it: no ApiLedger annotations, owners that are Backstage groups, any lifecycle word", async () => {
      // The shapes of Backstage's example catalog (packages/catalog-model/examples): a plain API entity with a
      // $text definition, a Group and a Component beside it, and a lifecycle word outside the three conventional.
      const catalog = [
        {
          apiVersion: "backstage.io/v1alpha1",
          kind: "API",
          metadata: { name: "petstore", description: "The petstore API", tags: ["store", "rest"] },
          spec: {
            type: "openapi",
            lifecycle: "experimental",
            owner: "team-c",
            definition: { $text: "https://petstore.swagger.io/v2/swagger.json" },
          },
        },
        {
          apiVersion: "backstage.io/v1alpha1",
          kind: "API",
          metadata: { name: "streetlights", description: "The Smartylighting Streetlights API" },
          spec: { type: "asyncapi", lifecycle: "beta", owner: "group:default/team-c", definition: "asyncapi: 2.0.0\n" },
        },
        {
          apiVersion: "backstage.io/v1alpha1",
          kind: "Group",
          metadata: { name: "team-c" },
          spec: { type: "team", children: [] },
        },
        {
          apiVersion: "backstage.io/v1alpha1",
          kind: "Component",
          metadata: { name: "petstore" },
          spec: { type: "service", lifecycle: "experimental", owner: "team-c", providesApis: ["petstore"] },
        },
      ];
      // Backstage validates an entity after its processors replaced the $text with what it points at.
      const resolved = catalog.map((e) =>
        e.metadata.name === "petstore" && e.kind === "API"
          ? { ...e, spec: { ...e.spec, definition: '{"swagger": "2.0"}' } }
          : e,
      );
      expect(await backstageProblems(resolved)).toEqual([]);
      const body = yamlOf(catalog);

      // Chosen nothing: the two APIs are refused, each saying what to choose.
      const refused = await previewBackstageCatalog({ actor: owner }, body);
      expect(refused.ok).toBe(false);
      expect(refused.rows[0]!.errors).toEqual([
        expect.stringMatching(/spec.owner “team-c” matches no team .*choose a team for such APIs/),
        expect.stringMatching(/apiledger.io\/sensitivity is required .*choose a sensitivity/),
      ]);

      // Chosen a team and a sensitivity: both import, with notes saying what was chosen and what was read.
      const defaults = { teamId: paymentsTeamId, sensitivity: "OFFICIAL" };
      const preview = await previewBackstageCatalog({ actor: owner }, body, defaults);
      expect(preview).toMatchObject({ ok: true, creates: 2, updates: 0 });
      expect(preview.rows.map((r) => r.action)).toEqual(["create", "create", "skipped", "skipped"]);
      expect(preview.rows[0]!.notes).toEqual([
        "spec.owner “team-c” is no ApiLedger team: placed in Payments, as chosen.",
        "No apiledger.io/sensitivity: recorded as OFFICIAL, as chosen.",
        expect.stringMatching(
          /^definition: \$text https:\/\/petstore.swagger.io\/v2\/swagger.json — kept as a reference/,
        ),
        expect.stringMatching(/^Not fetched: Fetching descriptions by URL is turned off/),
      ]);
      expect(preview.rows[1]!.notes).toContain(
        "spec.lifecycle “beta” is not experimental, production or deprecated: recorded as Active.",
      );
      await importBackstageCatalog({ actor: owner }, body, defaults);
      const petstore = await db.api.findFirstOrThrow({ where: { name: "petstore" } });
      expect(petstore).toMatchObject({
        teamId: paymentsTeamId,
        sensitivity: "OFFICIAL",
        openapiUrl: "https://petstore.swagger.io/v2/swagger.json",
        tags: ",store,rest,",
        // Facts the catalog does not carry stay unrecorded: the controls cannot be judged yet.
        modifiesData: null,
        readsNonPublic: null,
        ism2013: "CANNOT_JUDGE",
        ism2014: "CANNOT_JUDGE",
      });
      // A team this person may not register into is refused as a placement, whatever was chosen.
      const elsewhere = await db.team.findFirstOrThrow({ where: { id: { not: paymentsTeamId } } });
      const other = await previewBackstageCatalog(
        { actor: owner },
        yamlOf([{ ...catalog[0], metadata: { name: "petstore-2" } }]),
        { teamId: elsewhere.id, sensitivity: "OFFICIAL" },
      );
      expect(other.ok).toBe(false);
      // Choices are checked like any input.
      await expect(
        previewBackstageCatalog({ actor: owner }, body, { teamId: paymentsTeamId, sensitivity: "VERY_SECRET" }),
      ).rejects.toMatchObject({ code: "VALIDATION" });
    });

    it("fetches, scans and attaches a $text definition on a host an admin allowed, and says why it did not elsewhere", async () => {
      // A real HTTP server on this machine holds the definitions; only its host is allowed.
      const spec =
        "openapi: 3.1.0\ninfo: {title: Rates, version: '1'}\npaths:\n  /rates:\n    post:\n      responses: {'200': {description: ok}}\n";
      const server = http.createServer((req, res) =>
        req.url === "/rates.yaml" ? res.end(spec) : (res.writeHead(404), res.end("not here")),
      );
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        await updateSettings({ actor: admin }, { ...(await getSettings()), specFetchHosts: host });
        const entity = (name: string, url: string) => ({
          apiVersion: "backstage.io/v1alpha1",
          kind: "API",
          metadata: { name, annotations: { "apiledger.io/sensitivity": "OFFICIAL" } },
          spec: {
            type: "openapi",
            lifecycle: "production",
            owner: "group:default/payments",
            definition: { $text: url },
          },
        });
        const body = yamlOf([
          entity("fx-rates", `http://${host}/rates.yaml`),
          entity("fx-missing", `http://${host}/gone.yaml`),
          entity("fx-elsewhere", "https://git.example.gov.au/fx/openapi.yaml"),
        ]);
        const preview = await previewBackstageCatalog({ actor: owner }, body);
        expect(preview.rows.map((r) => r.errors)).toEqual([[], [], []]);
        // No description in these entities: each says so and still imports.
        expect(preview.rows.map((r) => r.notes![0])).toEqual(
          Array(3).fill("No metadata.description: the purpose says so until someone records it."),
        );
        expect(preview.rows.map((r) => r.notes!.at(-1))).toEqual([
          "Its host is allowed: the definition is fetched, scanned and attached once imported.",
          "Its host is allowed: the definition is fetched, scanned and attached once imported.",
          expect.stringMatching(/^Not fetched: The host git.example.gov.au is not on the administrator's list/),
        ]);
        const done = await importBackstageCatalog({ actor: owner }, body);
        expect(done.rows.map((r) => r.notes!.at(-1))).toEqual([
          expect.stringMatching(/^Description fetched and attached: 1 operation\(s\)/),
          expect.stringMatching(/^The description could not be fetched \(.*404.*\); the reference is kept\.$/),
          expect.stringMatching(/^Not fetched: /),
        ]);
        const rates = await db.api.findFirstOrThrow({ where: { name: "fx-rates" }, include: { description: true } });
        // The scan counted the anonymous write the definition declares, as an upload would.
        expect(rates.description).toMatchObject({
          source: "url",
          sourceUrl: `http://${host}/rates.yaml`,
          anonWrites: 1,
        });
        expect(
          await db.apiDescription.count({ where: { api: { name: { in: ["fx-missing", "fx-elsewhere"] } } } }),
        ).toBe(0);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it("refuses entities the person may not change, and malformed files", async () => {
      const other = catalogDocuments(await exportCatalog(admin, null), "API").find(
        (d) => d.spec.owner !== "group:default/payments",
      )!;
      other.metadata.description = "Changed by someone from another team.";
      const preview = await previewBackstageCatalog({ actor: owner }, yamlOf([other]));
      expect(preview.rows[0]!.errors).toEqual(["You cannot change this API."]);
      expect((await previewBackstageCatalog({ actor: owner }, "kind: API\nmetadata: [unclosed")).fileErrors[0]).toMatch(
        /not valid YAML/,
      );
      expect((await previewBackstageCatalog({ actor: owner }, "")).fileErrors).toEqual(["The file holds no entities."]);
    });

    it("a token limited to one team cannot read or change another team's API, even unchanged", async () => {
      const limited: Actor = {
        ...(admin as Extract<Actor, { kind: "user" }>),
        token: { id: "t", scopes: ["inventory:read", "inventory:write"], teamId: paymentsTeamId },
      };
      const other = catalogDocuments(await exportCatalog(admin, null), "API").find(
        (d) => d.spec.owner !== "group:default/payments",
      )!;
      const preview = await previewBackstageCatalog({ actor: limited }, yamlOf([other]));
      expect(preview.rows[0]!.errors).toEqual(["This API belongs to a team your token is not limited to."]);
      expect(preview.rows[0]!.changes).toEqual([]);
    });
  });
}
