import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createToken } from "./tokens";
import { responseChecker } from "./response-schemas";
import { signIn } from "../helpers";

// The REST API over real HTTP against a started server; the same spec runs on SQLite (api-sqlite) and
// PostgreSQL (api-postgres).
test.describe.configure({ mode: "serial" });

const auth = (token: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });
const newApi = (name: string, teamId: string) => ({
  name,
  purpose: "Created through the REST API test.",
  businessFunction: "",
  teamId,
  ownerId: "",
  lifecycle: "ACTIVE",
  environments: [],
  exposure: "INTERNAL",
  partnerLinkPrivate: false,
  readsNonPublic: "yes",
  modifiesData: "yes",
  sensitivity: "OFFICIAL",
  dataCategories: [],
  authMethods: ["MTLS"],
  authzModel: "SCOPES",
  authzRoles: [],
  centrallyLogged: "yes",
  loggingDestination: "Central SIEM",
  docsUrl: "",
  repoUrl: "",
  openapiUrl: "",
  tags: [],
});

let reader: string, writer: string, teamLimited: string, auditorAll: string;
let paymentsTeamId: string, identityApiId: string;

test.beforeAll(async ({ browser, baseURL }) => {
  reader = await createToken(browser, baseURL!, "owner", { name: "reader", scopes: ["inventory:read"] });
  writer = await createToken(browser, baseURL!, "owner", {
    name: "writer",
    scopes: ["inventory:read", "inventory:write"],
  });
  teamLimited = await createToken(browser, baseURL!, "admin", {
    name: "payments only",
    scopes: ["inventory:read", "inventory:write"],
    team: "Payments",
  });
  auditorAll = await createToken(browser, baseURL!, "auditor", {
    name: "auditor forged scopes",
    scopes: ["inventory:read", "inventory:write", "clients:write", "incidents:write"],
  });
});

async function listAll(request: APIRequestContext, token: string, query: string) {
  const res = await request.get(`/api/v1/apis?${query}`, { headers: auth(token) });
  expect(res.status()).toBe(200);
  return (await res.json()) as {
    data: { id: string; name: string; team: { id: string; name: string } }[];
    nextCursor: string | null;
  };
}

test("authentication: no token, a malformed, unknown or revoked token get 401 problems", async ({ request }) => {
  const attempts: Record<string, string>[] = [
    {},
    { Authorization: "Bearer nonsense" },
    { Authorization: `Bearer apl_${"A".repeat(46)}` },
    { Authorization: "Basic dXNlcjpwYXNz" },
  ];
  for (const headers of attempts) {
    const res = await request.get("/api/v1/apis", { headers });
    // With no credentials at all too: the same problem, with the challenge saying what to send.
    expect(res.status()).toBe(401);
    expect(res.headers()["content-type"]).toContain("application/problem+json");
    expect(res.headers()["www-authenticate"]).toContain("Bearer");
    expect((await res.json()).type).toBe("https://apiledger.invalid/problems/unauthenticated");
  }
});

test("scopes: read-only tokens read, write needs inventory:write, and a token never exceeds its user", async ({
  request,
}) => {
  const page = await listAll(request, reader, "limit=5");
  expect(page.data).toHaveLength(5);
  paymentsTeamId = (await listAll(request, reader, "q=Payments%20Ledger")).data[0]!.team.id;
  identityApiId = (await listAll(request, reader, "q=Token%20Service")).data[0]!.id;

  const denied = await request.post("/api/v1/apis", {
    headers: auth(reader),
    data: newApi("Read token cannot create", paymentsTeamId),
  });
  expect(denied.status()).toBe(403);
  expect((await denied.json()).type).toBe("https://apiledger.invalid/problems/forbidden");

  const created = await request.post("/api/v1/apis", {
    headers: auth(writer),
    data: newApi("Created by token", paymentsTeamId),
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  expect(created.headers()["location"]).toBe(`/api/v1/apis/${id}`);
  expect((await request.get(`/api/v1/apis/${id}`, { headers: auth(reader) })).status()).toBe(200);

  // An auditor's token with write scopes still cannot write: the auditor cannot.
  const forged = await request.post("/api/v1/apis", {
    headers: auth(auditorAll),
    data: newApi("Auditor token", paymentsTeamId),
  });
  expect(forged.status()).toBe(403);
});

test("object-level authorisation: a team A token cannot touch team B's API", async ({ request }) => {
  const api = await request.get(`/api/v1/apis/${identityApiId}`, { headers: auth(writer) });
  const etag = api.headers()["etag"]!;
  const body = await api.json();
  // The payments owner's token on an Identity API.
  const put = await request.put(`/api/v1/apis/${identityApiId}`, {
    headers: auth(writer, { "If-Match": etag }),
    data: { ...newApi(body.name, body.teamId), purpose: "hijacked" },
  });
  expect(put.status()).toBe(403);
  const del = await request.delete(`/api/v1/apis/${identityApiId}`, { headers: auth(writer) });
  expect(del.status()).toBe(403);
  // An admin token limited to Payments: neither can it, though the admin could in the UI.
  expect((await request.delete(`/api/v1/apis/${identityApiId}`, { headers: auth(teamLimited) })).status()).toBe(403);
  // …and it lists only Payments APIs, whatever team filter it sends.
  const listed = await listAll(request, teamLimited, "limit=200");
  expect(new Set(listed.data.map((a) => a.team.name))).toEqual(new Set(["Payments"]));
  // Nor reads another team's API, its clients or its description by id.
  for (const path of ["", "/clients", "/openapi"])
    expect(
      (await request.get(`/api/v1/apis/${identityApiId}${path}`, { headers: auth(teamLimited) })).status(),
      path,
    ).toBe(403);
  expect((await request.get(`/api/v1/apis/${listed.data[0]!.id}`, { headers: auth(teamLimited) })).status()).toBe(200);
  expect((await request.get(`/api/v1/apis/${identityApiId}`, { headers: auth(reader) })).status()).toBe(200);
  expect(
    (await (await request.get(`/api/v1/apis/${identityApiId}`, { headers: auth(reader) })).json()).purpose,
  ).not.toBe("hijacked");
});

test("idempotency: a retried create returns the first result and creates nothing twice", async ({ request }) => {
  const key = `create-${Date.now()}`;
  // Named by the key, so a retry of this test counts only its own creations.
  const name = `Idempotent API ${key}`;
  const first = await request.post("/api/v1/apis", {
    headers: auth(writer, { "Idempotency-Key": key }),
    data: newApi(name, paymentsTeamId),
  });
  const second = await request.post("/api/v1/apis", {
    headers: auth(writer, { "Idempotency-Key": key }),
    data: newApi(name, paymentsTeamId),
  });
  expect(first.status()).toBe(201);
  expect(second.status()).toBe(201);
  expect(second.headers()["idempotent-replayed"]).toBe("true");
  expect((await second.json()).id).toBe((await first.json()).id);
  expect((await listAll(request, reader, `q=${encodeURIComponent(name)}`)).data).toHaveLength(1);
  const reused = await request.post("/api/v1/apis", {
    headers: auth(writer, { "Idempotency-Key": key }),
    data: newApi(`Another API ${key}`, paymentsTeamId),
  });
  expect(reused.status()).toBe(422);
  expect((await reused.json()).type).toBe("https://apiledger.invalid/problems/idempotency-key-reused");
  expect((await listAll(request, reader, `q=${encodeURIComponent(`Another API ${key}`)}`)).data).toHaveLength(0);
});

test("ETags: updates need If-Match, and a stale one is refused with 412", async ({ request }) => {
  const { id } = await (
    await request.post("/api/v1/apis", { headers: auth(writer), data: newApi("Versioned API", paymentsTeamId) })
  ).json();
  const read = await request.get(`/api/v1/apis/${id}`, { headers: auth(writer) });
  const etag = read.headers()["etag"]!;
  expect(etag).toBe('"1"');
  const missing = await request.put(`/api/v1/apis/${id}`, {
    headers: auth(writer),
    data: newApi("Versioned API", paymentsTeamId),
  });
  expect(missing.status()).toBe(412);
  const ok = await request.put(`/api/v1/apis/${id}`, {
    headers: auth(writer, { "If-Match": etag }),
    data: { ...newApi("Versioned API", paymentsTeamId), purpose: "Second version." },
  });
  expect(ok.status()).toBe(200);
  expect(ok.headers()["etag"]).toBe('"2"');
  const stale = await request.put(`/api/v1/apis/${id}`, {
    headers: auth(writer, { "If-Match": etag }),
    data: { ...newApi("Versioned API", paymentsTeamId), purpose: "Overwrite." },
  });
  expect(stale.status()).toBe(412);
  expect((await stale.json()).type).toBe("https://apiledger.invalid/problems/precondition-failed");
  // Any other well-formed entity tag matches no version: 412 as well; only a malformed header is 400.
  for (const tag of ['"stale"', 'W/"x"', '"a", "b"']) {
    const other = await request.put(`/api/v1/apis/${id}`, {
      headers: auth(writer, { "If-Match": tag }),
      data: { ...newApi("Versioned API", paymentsTeamId), purpose: "Overwrite." },
    });
    expect(other.status(), tag).toBe(412);
  }
  const malformed = await request.put(`/api/v1/apis/${id}`, {
    headers: auth(writer, { "If-Match": "stale" }),
    data: { ...newApi("Versioned API", paymentsTeamId), purpose: "Overwrite." },
  });
  expect(malformed.status()).toBe(400);
  expect((await (await request.get(`/api/v1/apis/${id}`, { headers: auth(writer) })).json()).purpose).toBe(
    "Second version.",
  );
});

test("bad input: every bad field listed, unknown fields and parameters, malformed JSON, wrong media type, oversized body", async ({
  request,
}) => {
  const bad = await request.post("/api/v1/apis", {
    headers: auth(writer),
    data: { ...newApi("", paymentsTeamId), sensitivity: "VERY_SECRET", lifecycle: "SOMETIME", colour: "blue" },
  });
  expect(bad.status()).toBe(400);
  const problem = await bad.json();
  expect(problem.type).toBe("https://apiledger.invalid/problems/validation");
  expect(Object.keys(problem.errors)).toEqual(expect.arrayContaining(["name", "sensitivity", "lifecycle"]));
  expect(JSON.stringify(problem.errors)).toContain("colour");
  const malformed = await request.post("/api/v1/apis", {
    headers: auth(writer, { "Content-Type": "application/json" }),
    data: Buffer.from("{not json"),
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).detail).toMatch(/not valid JSON/);
  const yaml = await request.post("/api/v1/apis", {
    headers: auth(writer, { "Content-Type": "application/yaml" }),
    data: Buffer.from("name: x"),
  });
  expect(yaml.status()).toBe(415);
  const huge = await request.post("/api/v1/apis", {
    headers: auth(writer, { "Content-Type": "application/json" }),
    data: Buffer.alloc(50 * 1024 * 1024, 0x20),
  });
  expect(huge.status()).toBe(413);
  const query = await request.get("/api/v1/apis?colour=blue&sensitivity=LOUD&limit=0", { headers: auth(reader) });
  expect(query.status()).toBe(400);
  expect(Object.keys((await query.json()).errors).sort()).toEqual(["colour", "limit", "sensitivity"]);
  expect((await listAll(request, reader, "q=colour")).data).toHaveLength(0);
});

test("cursor pagination is stable while others insert: no row skipped or repeated", async ({ request }) => {
  const before = new Set<string>();
  let cursor: string | null = null;
  let inserted = 0;
  do {
    const page = await listAll(request, reader, `limit=7${cursor ? `&cursor=${cursor}` : ""}`);
    for (const a of page.data) {
      expect(before.has(a.id)).toBe(false);
      before.add(a.id);
    }
    cursor = page.nextCursor;
    // Someone registers an API that sorts before everything already read.
    if (cursor && inserted < 3) {
      await request.post("/api/v1/apis", {
        headers: auth(writer),
        data: newApi(`AAA inserted ${inserted++} ${Date.now()}`, paymentsTeamId),
      });
    }
  } while (cursor);
  const all = await listAll(request, reader, "limit=200");
  // Everything that existed before paging began was seen exactly once.
  expect(before.size).toBe(all.data.length - inserted);
  // A cursor from another sort order is refused.
  const first = await listAll(request, reader, "limit=2&sort=-updatedAt");
  const mismatch = await request.get(`/api/v1/apis?limit=2&sort=name&cursor=${first.nextCursor}`, {
    headers: auth(reader),
  });
  expect(mismatch.status()).toBe(400);
});

test("a revoked token is refused at once, and the refusal shows in the failed-authentication alerts", async ({
  browser,
  baseURL,
  request,
}) => {
  const token = await createToken(browser, baseURL!, "owner", { name: "to revoke", scopes: ["inventory:read"] });
  expect((await request.get("/api/v1/apis?limit=1", { headers: auth(token) })).status()).toBe(200);
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, "owner");
  await page.goto("/account/tokens");
  const row = page.getByRole("table", { name: "Your API tokens" }).getByRole("row", { name: /to revoke/ });
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: "Revoke to revoke" }).click();
  await expect(row).toContainText("revoked");
  const refused = await request.get("/api/v1/apis?limit=1", { headers: auth(token) });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).detail).toContain("token revoked");
  await context.close();
  const admin = await (await browser.newContext({ baseURL })).newPage();
  await signIn(admin, "admin");
  await expect(admin.getByRole("region", { name: "Failed authentication alerts" })).toContainText(
    `API token ${token.slice(0, 10)}…`,
  );
});

test("OpenAPI descriptions: PUT as YAML, the scan feeds ISM-2013, bad descriptions store nothing; the CI command publishes", async ({
  request,
  baseURL,
}) => {
  const { id } = await (
    await request.post("/api/v1/apis", { headers: auth(writer), data: newApi("Described API", paymentsTeamId) })
  ).json();
  expect((await (await request.get(`/api/v1/apis/${id}`, { headers: auth(reader) })).json()).controls["ism-2013"]).toBe(
    "MET",
  );
  const petstore = fs.readFileSync(path.resolve("../shared/data/openapi/swagger-petstore3-openapi.yaml"));
  expect(
    (
      await request.put(`/api/v1/apis/${id}/openapi`, {
        headers: auth(reader, { "Content-Type": "application/yaml" }),
        data: petstore,
      })
    ).status(),
  ).toBe(403);
  const put = await request.put(`/api/v1/apis/${id}/openapi`, {
    headers: auth(writer, { "Content-Type": "application/yaml" }),
    data: petstore,
  });
  expect(put.status()).toBe(200);
  expect(await put.json()).toMatchObject({ anonWrites: 6, anonReads: 4, counts: { operations: 19, writes: 11 } });
  expect((await (await request.get(`/api/v1/apis/${id}`, { headers: auth(reader) })).json()).controls["ism-2013"]).toBe(
    "NOT_MET",
  );
  const report = await (await request.get(`/api/v1/apis/${id}/openapi`, { headers: auth(reader) })).json();
  expect(report.findings.find((f: { pointer: string }) => f.pointer === "/paths/~1user/post")).toMatchObject({
    rule: "unauthenticated-write",
  });

  const circular = {
    openapi: "3.1.0",
    info: { title: "loop", version: "1" },
    paths: { "/a": { $ref: "#/paths/~1a" } },
  };
  const refused = await request.put(`/api/v1/apis/${id}/openapi`, { headers: auth(writer), data: circular });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).detail).toMatch(/Circular \$ref/);
  expect(
    (
      await request.put(`/api/v1/apis/${id}/openapi`, {
        headers: auth(writer, { "Content-Type": "text/plain" }),
        data: Buffer.from("openapi: 3.1.0"),
      })
    ).status(),
  ).toBe(415);
  expect((await (await request.get(`/api/v1/apis/${id}/openapi`, { headers: auth(reader) })).json()).sha256).toBe(
    report.sha256,
  );

  // npm run scan -- FILE --publish: a pipeline sends a fully secured description with its token.
  const cli = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "lib/cli/scan.ts",
      path.resolve("../shared/data/openapi/keycloak-admin-23.0.7.json"),
      "--fail-on",
      "critical",
      "--publish",
      "--server",
      baseURL!,
      "--api",
      id,
    ],
    { encoding: "utf8", env: { ...process.env, APILEDGER_TOKEN: writer } },
  );
  expect(cli.stderr).toContain("published to");
  expect(cli.status).toBe(0);
  expect((await (await request.get(`/api/v1/apis/${id}`, { headers: auth(reader) })).json()).controls["ism-2013"]).toBe(
    "MET",
  );
});

test("readiness: /api/ready answers without a token that the database, its migrations and the store are ready", async ({
  request,
}) => {
  const res = await request.get("/api/ready");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  expect(await res.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", store: "ok" } });
});

test("rate limit: a token over its limit gets 429 with Retry-After", async ({ browser, baseURL, request }) => {
  const token = await createToken(browser, baseURL!, "owner", { name: "busy", scopes: ["inventory:read"] });
  const statuses: number[] = [];
  let retryAfter = "";
  // Ten at a time until refused: the bucket refills at 2 a second, so on a slow machine one request at a
  // time might never empty it; with ten in flight it empties in seconds whatever each request costs.
  for (let i = 0; i < 100 && !retryAfter; i++) {
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => request.get("/api/v1/apis?limit=1", { headers: auth(token) })),
    );
    for (const res of burst) {
      statuses.push(res.status());
      if (res.status() === 429) retryAfter ||= res.headers()["retry-after"] ?? "";
    }
  }
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(100);
  expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
  expect(statuses).toContain(429);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
});

test("inventory answers match the schemas the published OpenAPI description gives them, every record field included", async ({
  request,
}) => {
  const check = await responseChecker(request);
  // Every field filled, so that no part of the schema is checked against an empty value only.
  const full = {
    ...newApi("Schema Check API", paymentsTeamId),
    businessFunction: "Payments settlement",
    environments: [{ name: "prod", baseUrl: "https://settle.example.gov.au" }],
    exposure: "PARTNER",
    partnerLinkPrivate: true,
    dataCategories: ["FINANCIAL"],
    authzRoles: ["settlement.read"],
    docsUrl: "https://docs.example.gov.au/settle",
    repoUrl: "https://git.example.gov.au/settle",
    openapiUrl: "https://settle.example.gov.au/openapi.json",
    tags: ["schema-check"],
  };
  const created = await request.post("/api/v1/apis", { headers: auth(writer), data: full });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  // The schema requires every field of the record (lib/apis/record.ts) and allows no other.
  const one = await check("GET /api/v1/apis/{id}", await request.get(`/api/v1/apis/${id}`, { headers: auth(reader) }));
  expect(one).toMatchObject({ environments: full.environments, authzRoles: full.authzRoles, docsUrl: full.docsUrl });

  const list = await check(
    "GET /api/v1/apis",
    await request.get("/api/v1/apis?q=Schema%20Check", { headers: auth(reader) }),
  );
  expect((list as { data: unknown[] }).data).toHaveLength(1);
});
