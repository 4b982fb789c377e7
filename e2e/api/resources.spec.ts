import { expect, test } from "@playwright/test";
import { createToken } from "./tokens";
import { responseChecker } from "./response-schemas";
import type { IncidentDetail } from "@/lib/incidents/incident-view";
import { expectAccessible, signIn } from "../helpers";
import fs from "node:fs";
import path from "node:path";
import { buildZip } from "@/lib/testing/forged-zip";

// Clients and grants, incidents and access reviews over the REST API, on SQLite and PostgreSQL.
test.describe.configure({ mode: "serial" });
const auth = (token: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });
let owner: string, ownerNoClients: string, auditor: string;
let ledgerId: string;

test.beforeAll(async ({ browser, baseURL, request }) => {
  owner = await createToken(browser, baseURL!, "owner", {
    name: "clients+incidents",
    scopes: ["inventory:read", "clients:write", "incidents:read", "incidents:write"],
  });
  ownerNoClients = await createToken(browser, baseURL!, "owner", {
    name: "inventory only",
    scopes: ["inventory:read", "inventory:write"],
  });
  auditor = await createToken(browser, baseURL!, "auditor", {
    name: "audit",
    scopes: ["inventory:read", "reviews:read", "incidents:read"],
  });
  ledgerId = (await (await request.get("/api/v1/apis?q=Payments%20Ledger", { headers: auth(owner) })).json()).data[0]
    .id;
});

const grant = (name: string) => ({
  name,
  kind: "SERVICE_ACCOUNT",
  credentialType: "CLIENT_CERTIFICATE",
  scopes: ["ledger:read"],
  canModify: false,
  approvedBy: "Payments manager",
  approvedAt: "2026-11-01",
  credentialIssuedAt: "2026-11-01",
  credentialExpiresAt: "2027-11-01",
  credentialRotatedAt: "",
  lastSeenAt: "",
  notes: "",
});

test("clients and grants: create with clients:write, update with If-Match, stale writes get 412, delete", async ({
  request,
}) => {
  const list = await (await request.get(`/api/v1/apis/${ledgerId}/clients`, { headers: auth(auditor) })).json();
  // (A demo grant no other spec removes: the review spec revokes legacy-batch through its follow-up.)
  expect(list.data.map((c: { name: string }) => c.name)).toContain("finance-reporting");
  expect(
    (
      await request.post(`/api/v1/apis/${ledgerId}/clients`, { headers: auth(ownerNoClients), data: grant("no-scope") })
    ).status(),
  ).toBe(403);
  expect(
    (
      await request.post(`/api/v1/apis/${ledgerId}/clients`, { headers: auth(auditor), data: grant("auditor") })
    ).status(),
  ).toBe(403);
  const created = await request.post(`/api/v1/apis/${ledgerId}/clients`, {
    headers: auth(owner),
    data: {
      ...grant("settlement-bot"),
      credentialRotatedAt: "2026-11-02",
      lastSeenAt: "2026-11-25",
      notes: "Runs nightly.",
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  expect(
    (
      await request.post(`/api/v1/apis/${ledgerId}/clients`, { headers: auth(owner), data: grant("settlement-bot") })
    ).status(),
  ).toBe(409);
  const read = await request.get(`/api/v1/apis/${ledgerId}/clients/${id}`, { headers: auth(owner) });
  const etag = read.headers()["etag"]!;
  // The answers match the schemas the description derives from the client record: every field, no other.
  const check = await responseChecker(request);
  const one = await check("GET /api/v1/apis/{id}/clients/{clientId}", read);
  expect(one).toMatchObject({ approvedAt: "2026-11-01", lastSeenAt: "2026-11-25", notes: "Runs nightly." });
  await check(
    "GET /api/v1/apis/{id}/clients",
    await request.get(`/api/v1/apis/${ledgerId}/clients`, { headers: auth(owner) }),
  );
  expect(
    (
      await request.put(`/api/v1/apis/${ledgerId}/clients/${id}`, {
        headers: auth(owner, { "If-Match": etag }),
        data: { ...grant("settlement-bot"), scopes: ["ledger:read", "ledger:write"], canModify: true },
      })
    ).status(),
  ).toBe(200);
  const stale = await request.put(`/api/v1/apis/${ledgerId}/clients/${id}`, {
    headers: auth(owner, { "If-Match": etag }),
    data: grant("settlement-bot"),
  });
  expect(stale.status()).toBe(412);
  expect(
    (await (await request.get(`/api/v1/apis/${ledgerId}/clients/${id}`, { headers: auth(owner) })).json()).scopes,
  ).toEqual(["ledger:read", "ledger:write"]);
  expect((await request.delete(`/api/v1/apis/${ledgerId}/clients/${id}`, { headers: auth(owner) })).status()).toBe(204);
  expect((await request.get(`/api/v1/apis/${ledgerId}/clients/${id}`, { headers: auth(owner) })).status()).toBe(404);
});

test("incidents: reported with incidents:write, read with incidents:read; access reviews readable with reviews:read only", async ({
  request,
}) => {
  const incident = {
    title: "Token replay from an unknown host",
    type: "CREDENTIAL_COMPROMISE",
    severity: "HIGH",
    // RFC 3339, in UTC and with an offset (19:30 in Sydney is 08:30 UTC).
    detectedAt: "2026-11-20T08:00:00Z",
    reportedAt: "2026-11-20T19:30:00+11:00",
    reportedBy: "Gateway alert",
    description: "A revoked token was replayed.",
    apiIds: [ledgerId],
    affectedClients: "",
    rootCause: "",
    lessonsLearned: "",
  };
  expect((await request.post("/api/v1/incidents", { headers: auth(auditor), data: incident })).status()).toBe(403);
  const bad = await request.post("/api/v1/incidents", {
    headers: auth(owner),
    data: { ...incident, severity: "APOCALYPTIC", title: "", apiIds: [] },
  });
  expect(bad.status()).toBe(400);
  expect(Object.keys((await bad.json()).errors).sort()).toEqual(["apiIds", "severity", "title"]);
  const created = await request.post("/api/v1/incidents", { headers: auth(owner), data: incident });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  const read = await (await request.get(`/api/v1/incidents/${id}`, { headers: auth(auditor) })).json();
  expect(read).toMatchObject({
    title: "Token replay from an unknown host",
    status: "REPORTED",
    detectedAt: "2026-11-20T08:00:00.000Z",
    reportedAt: "2026-11-20T08:30:00.000Z",
  });
  expect(
    (await (await request.get("/api/v1/incidents", { headers: auth(auditor) })).json()).data.some(
      (i: { id: string }) => i.id === id,
    ),
  ).toBe(true);

  // The handler works it through the API: record changes need If-Match, status moves one step at a time.
  const etag = (await request.get(`/api/v1/incidents/${id}`, { headers: auth(owner) })).headers()["etag"]!;
  expect(
    (
      await request.put(`/api/v1/incidents/${id}`, {
        headers: auth(owner, { "If-Match": etag }),
        data: { ...incident, rootCause: "Token not bound to the client certificate." },
      })
    ).status(),
  ).toBe(200);
  expect(
    (
      await request.put(`/api/v1/incidents/${id}`, { headers: auth(owner, { "If-Match": etag }), data: incident })
    ).status(),
  ).toBe(412);
  const fresh = (await request.get(`/api/v1/incidents/${id}`, { headers: auth(owner) })).headers()["etag"]!;
  const advanced = await request.post(`/api/v1/incidents/${id}/advance`, {
    headers: auth(owner, { "If-Match": fresh }),
    data: { at: "2026-11-20T09:00" },
  });
  expect(await advanced.json()).toEqual({ status: "TRIAGED" });
  expect(
    (await request.post(`/api/v1/incidents/${id}/advance`, { headers: auth(owner, { "If-Match": fresh }) })).status(),
  ).toBe(412);
  // A later step at the time it happened: never before the latest recorded time, never in the future.
  const triaged = (await request.get(`/api/v1/incidents/${id}`, { headers: auth(owner) })).headers()["etag"]!;
  const contain = (at: string) =>
    request.post(`/api/v1/incidents/${id}/advance`, { headers: auth(owner, { "If-Match": triaged }), data: { at } });
  // 08:45 is after the report but before the triage (09:00), which has no column, only its timeline entry.
  for (const at of ["2026-11-20T08:45", "2999-01-01T00:00", "yesterday"]) {
    const refused = await contain(at);
    expect(refused.status(), at).toBe(400);
    expect(Object.keys((await refused.json()).errors), at).toEqual(["at"]);
  }
  expect(await (await contain("2026-11-20T10:15")).json()).toEqual({ status: "CONTAINED" });
  expect((await (await request.get(`/api/v1/incidents/${id}`, { headers: auth(owner) })).json()).containedAt).toBe(
    "2026-11-20T10:15:00.000Z",
  );
  expect(
    (
      await request.post(`/api/v1/incidents/${id}/entries`, {
        headers: auth(owner),
        data: { kind: "notification", at: "2026-11-20T09:00", recipient: "CISO", text: "Briefed by phone." },
      })
    ).status(),
  ).toBe(201);
  // RFC 3339 times, in any offset and with fractions, and an entry with neither time (now) nor recipient.
  const noted = await request.post(`/api/v1/incidents/${id}/entries`, {
    headers: auth(owner),
    data: { kind: "note", at: "2026-11-20T21:15:30.250+11:00", text: "Rotated the signing key." },
  });
  expect(noted.status()).toBe(201);
  expect(
    (
      await request.post(`/api/v1/incidents/${id}/entries`, {
        headers: auth(owner),
        data: { kind: "note", text: "Now." },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await request.post(`/api/v1/incidents/${id}/entries`, {
        headers: auth(auditor),
        data: { kind: "note", at: "2026-11-20T09:00", recipient: "", text: "x" },
      })
    ).status(),
  ).toBe(403);
  // The answers match the schemas the description derives from the incident record (every field, no
  // other), timeline included.
  const check = await responseChecker(request);
  const worked = (await check(
    "GET /api/v1/incidents/{id}",
    await request.get(`/api/v1/incidents/${id}`, { headers: auth(auditor) }),
  )) as IncidentDetail;
  const timeline = worked.entries.map((e) => e.text);
  expect(worked.apis).toEqual([expect.objectContaining({ id: ledgerId, name: expect.stringContaining("Ledger") })]);
  await check("GET /api/v1/incidents", await request.get("/api/v1/incidents", { headers: auth(auditor) }));
  expect(timeline).toEqual(expect.arrayContaining(["Briefed by phone.", "Reported → Triaged", "Now."]));
  expect(worked.entries.find((e) => e.text === "Rotated the signing key.")?.at).toBe("2026-11-20T10:15:30.250Z");

  const campaigns = await request.get("/api/v1/reviews/campaigns", { headers: auth(auditor) });
  expect(campaigns.status()).toBe(200);
  expect(Array.isArray((await campaigns.json()).data)).toBe(true);
  expect((await request.get("/api/v1/reviews/campaigns", { headers: auth(owner) })).status()).toBe(403);
  expect((await request.get("/api/v1/reviews/no-such-review", { headers: auth(auditor) })).status()).toBe(404);
});

test("Backstage: export the catalog, and a dry-run import of it changes nothing", async ({ request }) => {
  const exported = await request.get("/api/v1/backstage/catalog", { headers: auth(owner) });
  expect(exported.status()).toBe(200);
  expect(exported.headers()["content-type"]).toContain("application/yaml");
  const yaml = await exported.text();
  expect(yaml).toContain("kind: API");
  expect(yaml).toContain("apiledger.io/id:");
  const dry = await request.post("/api/v1/backstage/import?dryRun=true", {
    headers: auth(ownerNoClients, { "Content-Type": "application/yaml" }),
    data: Buffer.from(yaml),
  });
  expect(dry.status()).toBe(200);
  const preview = await dry.json();
  expect(preview).toMatchObject({ dryRun: true, creates: 0, updates: 0 });
  // Entities of other teams are not the owner's to change, but unchanged ones are not changes at all.
  expect(preview.ok).toBe(true);
  const bad = await request.post("/api/v1/backstage/import", {
    headers: auth(ownerNoClients, { "Content-Type": "application/yaml" }),
    data: Buffer.from("apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: x\nspec:\n  type: openapi\n"),
  });
  expect(bad.status()).toBe(400);
  expect(JSON.stringify((await bad.json()).errors)).toContain("spec.lifecycle is required.");
});

test("Backstage page: download link and dry-run import in the UI", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/apis/backstage");
  await expectAccessible(page);
  await page.getByLabel("Backstage catalog (YAML, or ZIP with its definitions)").setInputFiles({
    name: "catalog.yaml",
    mimeType: "application/yaml",
    buffer: Buffer.from(
      "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: fx-quotes\n  title: FX Quotes API\n  description: Quotes.\n  annotations:\n    apiledger.io/sensitivity: OFFICIAL\nspec:\n  type: openapi\n  lifecycle: experimental\n  owner: group:default/payments\n  definition: 'openapi: 3.1.0'\n" +
        // As Backstage's own example catalog writes an API: no ApiLedger annotations, a Backstage group as owner.
        "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: fx-petstore\n  description: The petstore API\nspec:\n  type: openapi\n  lifecycle: experimental\n  owner: team-c\n  definition:\n    $text: https://petstore.example/swagger.json\n",
    ),
  });
  await page.getByRole("button", { name: "Check file" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "1 of 2 rows have errors" })).toBeVisible();
  await expect(page.getByText(/choose a team for such APIs to import it/)).toBeVisible();
  // The importer chooses where such APIs go and how they are classified; the stale preview goes away.
  await page.getByLabel("Owner is no ApiLedger team").selectOption({ label: "Place in Payments" });
  await expect(page.getByRole("alert").filter({ hasText: "1 of 2 rows have errors" })).toBeHidden();
  await page.getByLabel("No sensitivity annotation").selectOption({ label: "Record as OFFICIAL" });
  await page.getByRole("button", { name: "Check file" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Ready: 2 new API(s), 0 update(s)." })).toBeVisible();
  await expect(
    page.getByText(/spec.owner “team-c” is no ApiLedger team: placed in Payments, as chosen./),
  ).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Import 2 row(s)" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported: 2 new API(s)" })).toBeVisible();
  await page.goto("/apis?q=FX%20Quotes");
  await expect(page.getByRole("link", { name: "FX Quotes API" })).toBeVisible();
  await page.goto("/apis?q=fx-petstore");
  await expect(page.getByRole("link", { name: "fx-petstore" })).toBeVisible();
});

/** A repository's catalog-info.yaml with one definition beside it and one it names that is not there. */
const repositoryZip = () => {
  const api = (name: string, file: string) =>
    `---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: ${name}\n  description: Read from a bundle.\n  annotations:\n    apiledger.io/sensitivity: OFFICIAL\nspec:\n  type: openapi\n  lifecycle: production\n  owner: group:default/payments\n  definition:\n    $text: ./${file}\n`;
  return buildZip([
    { name: "catalog-info.yaml", data: api("bundle-petstore", "openapi.yaml") + api("bundle-missing", "missing.yaml") },
    {
      name: "openapi.yaml",
      data: fs.readFileSync(path.resolve("../shared/data/openapi/swagger-petstore3-openapi.yaml")),
    },
  ]);
};

test("Backstage: a ZIP bundle over REST reads its definitions; a zip bomb is refused as a file error", async ({
  request,
}) => {
  const zip = await repositoryZip();
  const dry = await request.post("/api/v1/backstage/import?dryRun=true", {
    headers: auth(ownerNoClients, { "Content-Type": "application/zip" }),
    data: zip,
  });
  expect(dry.status()).toBe(200);
  const preview = await dry.json();
  expect(preview).toMatchObject({ dryRun: true, ok: true, creates: 2 });
  expect(preview.rows[0].notes.at(-1)).toMatch(/^Read openapi.yaml from the bundle \(openapi-3.0, 19 operation/);
  expect(preview.rows[1].notes.at(-1)).toBe("Not read from the bundle: missing.yaml is not in the bundle.");
  const bomb = await buildZip([{ name: "catalog-info.yaml", data: Buffer.alloc(4 << 20) }]);
  const refused = await request.post("/api/v1/backstage/import", {
    headers: auth(ownerNoClients, { "Content-Type": "application/zip" }),
    data: bomb,
  });
  expect(refused.status()).toBe(400);
  expect(JSON.stringify((await refused.json()).errors.file)).toContain("possible zip bomb");
});

test("Backstage page: a ZIP bundle's definition is read, scanned and attached; a missing one is named", async ({
  page,
}) => {
  await signIn(page, "owner");
  await page.goto("/apis/backstage");
  await page.getByLabel("Backstage catalog (YAML, or ZIP with its definitions)").setInputFiles({
    name: "catalog.zip",
    mimeType: "application/zip",
    buffer: await repositoryZip(),
  });
  await page.getByRole("button", { name: "Check file" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Ready: 2 new API(s), 0 update(s)." })).toBeVisible();
  await expect(page.getByText(/Read openapi.yaml from the bundle \(openapi-3.0, 19 operation\(s\)/)).toBeVisible();
  await expect(page.getByText("Not read from the bundle: missing.yaml is not in the bundle.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Import 2 row(s)" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported: 2 new API(s)" })).toBeVisible();
  await page.goto("/apis?q=bundle-petstore");
  await page.getByRole("link", { name: "bundle-petstore" }).click();
  await expect(page.getByText(/read from openapi.yaml in a Backstage catalog bundle/)).toBeVisible();
});
