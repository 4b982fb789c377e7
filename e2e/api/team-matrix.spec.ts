import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { stringify } from "yaml";
import { createToken } from "./tokens";
import { signIn } from "../helpers";
import { catalogDocuments } from "@/lib/testing/catalog-documents";
import { otlpJson } from "@/lib/testing/otlp";

// The team matrix, over real HTTP on SQLite and PostgreSQL: every /api/v1 route — the list is read from
// the route files, so a new route that is not decided here fails the first test — tried with tokens
// limited to team A (Payments; an admin's and a system owner's, every scope) against team B's
// (Identity & Access) objects, and with an admin's read-only token against every write. Single objects
// answer 403; lists leave team B out; and at the end nothing of team B has changed.
test.describe.configure({ mode: "serial" });

type Who = "adminA" | "ownerA" | "readOnly";
type Fixture = {
  teamA: string;
  teamB: string;
  apiA: string;
  apiB: string;
  apiBVersion: number;
  clientB: string;
  clientBVersion: number;
  incidentA: string;
  incidentB: string;
  incidentBVersion: number;
  incidentShared: string;
  reviewB: string;
  campaign: string;
  paymentsReviews: number;
  exportB: string;
  catalogB: string;
};
type Attempt = {
  who: Who[];
  call: (request: APIRequestContext, token: string) => Promise<APIResponse>;
  check?: (response: APIResponse, who: Who) => Promise<void>;
};
type Case = { public: string } | { attempts: (f: Fixture) => Attempt[] };

const ALL_SCOPES = [
  "inventory:read",
  "inventory:write",
  "clients:write",
  "incidents:read",
  "incidents:write",
  "reviews:read",
  "events:read",
  "events:write",
  "evidence:read",
];
const READ_SCOPES = ALL_SCOPES.filter((s) => s.endsWith(":read"));
const LIMITED: Who[] = ["adminA", "ownerA"];
const WRITERS: Who[] = ["adminA", "ownerA", "readOnly"];
const auth = (token: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });
const SPEC = "openapi: 3.1.0\ninfo: {title: planted, version: '1'}\npaths: {}\n";

const apiBody = (name: string, teamId: string) => ({
  name,
  purpose: "Planted by the team matrix.",
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
  centrallyLogged: "no",
  loggingDestination: "",
  docsUrl: "",
  repoUrl: "",
  openapiUrl: "",
  tags: [],
});
const grantBody = (name: string) => ({
  name,
  kind: "SERVICE_ACCOUNT",
  credentialType: "CLIENT_CERTIFICATE",
  scopes: ["x:read"],
  canModify: false,
  approvedBy: "x",
  approvedAt: "2026-11-01",
  credentialIssuedAt: "2026-11-01",
  credentialExpiresAt: "2027-11-01",
  credentialRotatedAt: "",
  lastSeenAt: "",
  notes: "",
});
const incidentBody = (title: string, apiIds: string[]) => ({
  title,
  type: "MISCONFIGURATION",
  severity: "LOW",
  detectedAt: "2026-11-20T08:00",
  reportedAt: "2026-11-20T08:30",
  reportedBy: "Team matrix",
  description: "Planted by the team matrix.",
  apiIds,
  affectedClients: "",
  rootCause: "",
  lessonsLearned: "",
});
const eventBody = (apiId: string) => [
  {
    time: new Date(Date.now() - 5000).toISOString(),
    api: apiId,
    clientId: "matrix",
    principal: "matrix",
    outcome: "success",
    sourceIp: "10.9.9.9",
    method: "GET",
    route: "/x",
  },
];

/** 403, with the problem type that says so (a typo in a URL would give 404 and fail here). */
const refused = async (response: APIResponse) => {
  expect(response.status(), await response.text()).toBe(403);
  expect((await response.json()).type).toBe("https://apiledger.invalid/problems/forbidden");
};
/** OTLP/HTTP's refusal: 403 as google.rpc.Status (code 7, permission denied), not a problem. */
const otlpRefused = async (response: APIResponse) => {
  expect(response.status(), await response.text()).toBe(403);
  expect((await response.json()).code).toBe(7);
};
/** Only a traffic source's own token sends OTLP; team A's tokens (every scope) are refused. */
const otlpCase = (signal: "logs" | "traces"): Case => ({
  attempts: () => [
    {
      who: WRITERS,
      call: (r, t) => r.post(`/api/v1/otlp/v1/${signal}`, { headers: auth(t), data: otlpJson(signal, [{}]) }),
      check: otlpRefused,
    },
  ],
});
/** A list: team A's admin token gets 200 with team B left out; a role without the right gets 403. */
const listed = (check: (body: string) => void) => async (response: APIResponse, who: Who) => {
  if (who !== "adminA" && response.status() === 403) return;
  expect(response.status(), await response.text()).toBe(200);
  check(await response.text());
};

// Every route file's every method, decided. `public` routes carry no team's data.
const MATRIX: Record<string, Case> = {
  "GET /api/v1/openapi.json": { public: "the description of the interface, the same for everyone, with no data" },
  "GET /api/v1/evidence/public-key": { public: "the installation's public signing key, the same for every team" },
  "GET /api/v1/apis": {
    attempts: (f) => [
      {
        who: LIMITED,
        call: (r, t) => r.get(`/api/v1/apis?limit=200&team=${f.teamB}`, { headers: auth(t) }),
        check: listed((body) => {
          const { data } = JSON.parse(body) as { data: { id: string; team: { id: string } }[] };
          expect(data.map((a) => a.id)).toContain(f.apiA);
          expect(new Set(data.map((a) => a.team.id))).toEqual(new Set([f.teamA]));
        }),
      },
    ],
  },
  "POST /api/v1/apis": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) => r.post("/api/v1/apis", { headers: auth(t), data: apiBody("Planted in team B", f.teamB) }),
      },
    ],
  },
  "GET /api/v1/apis/[id]": {
    attempts: (f) => [{ who: LIMITED, call: (r, t) => r.get(`/api/v1/apis/${f.apiB}`, { headers: auth(t) }) }],
  },
  "PUT /api/v1/apis/[id]": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.put(`/api/v1/apis/${f.apiB}`, {
            headers: auth(t, { "If-Match": `"${f.apiBVersion}"` }),
            data: apiBody("Renamed by team A", f.teamA),
          }),
      },
    ],
  },
  "DELETE /api/v1/apis/[id]": {
    attempts: (f) => [{ who: WRITERS, call: (r, t) => r.delete(`/api/v1/apis/${f.apiB}`, { headers: auth(t) }) }],
  },
  "GET /api/v1/apis/[id]/clients": {
    attempts: (f) => [{ who: LIMITED, call: (r, t) => r.get(`/api/v1/apis/${f.apiB}/clients`, { headers: auth(t) }) }],
  },
  "POST /api/v1/apis/[id]/clients": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.post(`/api/v1/apis/${f.apiB}/clients`, { headers: auth(t), data: grantBody("planted-client") }),
      },
    ],
  },
  "GET /api/v1/apis/[id]/clients/[clientId]": {
    attempts: (f) => [
      { who: LIMITED, call: (r, t) => r.get(`/api/v1/apis/${f.apiB}/clients/${f.clientB}`, { headers: auth(t) }) },
    ],
  },
  "PUT /api/v1/apis/[id]/clients/[clientId]": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.put(`/api/v1/apis/${f.apiB}/clients/${f.clientB}`, {
            headers: auth(t, { "If-Match": `"${f.clientBVersion}"` }),
            data: grantBody("widened-client"),
          }),
      },
    ],
  },
  "DELETE /api/v1/apis/[id]/clients/[clientId]": {
    attempts: (f) => [
      { who: WRITERS, call: (r, t) => r.delete(`/api/v1/apis/${f.apiB}/clients/${f.clientB}`, { headers: auth(t) }) },
    ],
  },
  "GET /api/v1/apis/[id]/events": {
    attempts: (f) => [{ who: LIMITED, call: (r, t) => r.get(`/api/v1/apis/${f.apiB}/events`, { headers: auth(t) }) }],
  },
  "GET /api/v1/apis/[id]/openapi": {
    attempts: (f) => [{ who: LIMITED, call: (r, t) => r.get(`/api/v1/apis/${f.apiB}/openapi`, { headers: auth(t) }) }],
  },
  "PUT /api/v1/apis/[id]/openapi": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.put(`/api/v1/apis/${f.apiB}/openapi`, {
            headers: auth(t, { "Content-Type": "application/yaml" }),
            data: Buffer.from(SPEC),
          }),
      },
    ],
  },
  "DELETE /api/v1/apis/[id]/openapi": {
    attempts: (f) => [
      { who: WRITERS, call: (r, t) => r.delete(`/api/v1/apis/${f.apiB}/openapi`, { headers: auth(t) }) },
    ],
  },
  "GET /api/v1/backstage/catalog": {
    attempts: (f) => [
      {
        who: LIMITED,
        call: (r, t) => r.get("/api/v1/backstage/catalog", { headers: auth(t) }),
        check: listed((yaml) => {
          expect(yaml).toContain(f.apiA);
          expect(yaml).not.toContain(f.apiB);
        }),
      },
    ],
  },
  "POST /api/v1/backstage/import": {
    attempts: (f) => [
      // The import gives a whole-file verdict: 400 naming the entity that is not the token's (a dry run:
      // 200 with ok false); nothing is written either way.
      {
        who: ["adminA", "ownerA"],
        call: (r, t) =>
          r.post("/api/v1/backstage/import", {
            headers: auth(t, { "Content-Type": "application/yaml" }),
            data: Buffer.from(f.catalogB),
          }),
        check: async (response) => {
          expect(response.status(), await response.text()).toBe(400);
          expect(JSON.stringify((await response.json()).errors)).toMatch(
            /belongs to a team your token is not limited to|cannot change this API/,
          );
        },
      },
      {
        who: ["adminA"],
        call: (r, t) =>
          r.post("/api/v1/backstage/import?dryRun=true", {
            headers: auth(t, { "Content-Type": "application/yaml" }),
            data: Buffer.from(f.catalogB),
          }),
        check: async (response) => {
          expect(response.status()).toBe(200);
          expect(await response.json()).toMatchObject({
            ok: false,
            updates: 0,
            rows: [{ errors: ["This API belongs to a team your token is not limited to."] }],
          });
        },
      },
      {
        who: ["readOnly"],
        call: (r, t) =>
          r.post("/api/v1/backstage/import", {
            headers: auth(t, { "Content-Type": "application/yaml" }),
            data: Buffer.from(f.catalogB),
          }),
      },
    ],
  },
  "POST /api/v1/events/auth": {
    attempts: (f) => [
      { who: WRITERS, call: (r, t) => r.post("/api/v1/events/auth", { headers: auth(t), data: eventBody(f.apiB) }) },
    ],
  },
  // Only a traffic source's own token sends records; team A's tokens (every scope) are refused.
  "POST /api/v1/traffic": {
    attempts: () => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.post("/api/v1/traffic", {
            headers: auth(t),
            data: [{ time: new Date().toISOString(), request_method: "GET", host: "tokens", uri: "/", status: 200 }],
          }),
      },
    ],
  },
  // A Firehose delivery stream's endpoint: likewise, refused in Firehose's own form.
  "POST /api/v1/traffic/firehose": {
    attempts: () => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.post("/api/v1/traffic/firehose", {
            headers: auth(t),
            data: { requestId: "r", timestamp: 0, records: [{ data: Buffer.from("{}").toString("base64") }] },
          }),
        check: async (response) => {
          expect(response.status(), await response.text()).toBe(403);
          expect((await response.json()).errorMessage).toBeTruthy();
        },
      },
    ],
  },
  "POST /api/v1/otlp/v1/logs": otlpCase("logs"),
  "POST /api/v1/otlp/v1/traces": otlpCase("traces"),
  "GET /api/v1/evidence/exports": {
    attempts: (f) => [
      {
        who: LIMITED,
        call: (r, t) => r.get("/api/v1/evidence/exports", { headers: auth(t) }),
        check: listed((body) =>
          expect((JSON.parse(body) as { data: { id: string }[] }).data.map((e) => e.id)).not.toContain(f.exportB),
        ),
      },
    ],
  },
  // Exporting evidence is reading (scope evidence:read), so the read-only token is not tried here.
  "POST /api/v1/evidence/exports": {
    attempts: (f) => [
      {
        who: LIMITED,
        call: (r, t) =>
          r.post("/api/v1/evidence/exports", { headers: auth(t), data: { period: "2026", teamIds: [f.teamB] } }),
      },
    ],
  },
  "GET /api/v1/evidence/exports/[id]": {
    attempts: (f) => [
      { who: LIMITED, call: (r, t) => r.get(`/api/v1/evidence/exports/${f.exportB}`, { headers: auth(t) }) },
    ],
  },
  "GET /api/v1/evidence/exports/[id]/bundle": {
    attempts: (f) => [
      { who: LIMITED, call: (r, t) => r.get(`/api/v1/evidence/exports/${f.exportB}/bundle`, { headers: auth(t) }) },
    ],
  },
  "GET /api/v1/incidents": {
    attempts: (f) => [
      {
        who: LIMITED,
        call: (r, t) => r.get("/api/v1/incidents", { headers: auth(t) }),
        check: listed((body) => {
          const ids = (JSON.parse(body) as { data: { id: string }[] }).data.map((i) => i.id);
          expect(ids).toContain(f.incidentA);
          expect(ids).not.toContain(f.incidentB);
          expect(ids).not.toContain(f.incidentShared);
        }),
      },
    ],
  },
  "POST /api/v1/incidents": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.post("/api/v1/incidents", { headers: auth(t), data: incidentBody("Reported on team B", [f.apiB]) }),
      },
      {
        who: LIMITED,
        call: (r, t) =>
          r.post("/api/v1/incidents", {
            headers: auth(t),
            data: incidentBody("Reported on both teams", [f.apiA, f.apiB]),
          }),
      },
    ],
  },
  "GET /api/v1/incidents/[id]": {
    attempts: (f) => [
      { who: LIMITED, call: (r, t) => r.get(`/api/v1/incidents/${f.incidentB}`, { headers: auth(t) }) },
      { who: LIMITED, call: (r, t) => r.get(`/api/v1/incidents/${f.incidentShared}`, { headers: auth(t) }) },
    ],
  },
  "PUT /api/v1/incidents/[id]": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.put(`/api/v1/incidents/${f.incidentB}`, {
            headers: auth(t, { "If-Match": `"${f.incidentBVersion}"` }),
            data: incidentBody("Rewritten by team A", [f.apiB]),
          }),
      },
    ],
  },
  "POST /api/v1/incidents/[id]/advance": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.post(`/api/v1/incidents/${f.incidentB}/advance`, {
            headers: auth(t, { "If-Match": `"${f.incidentBVersion}"` }),
          }),
      },
    ],
  },
  "POST /api/v1/incidents/[id]/entries": {
    attempts: (f) => [
      {
        who: WRITERS,
        call: (r, t) =>
          r.post(`/api/v1/incidents/${f.incidentB}/entries`, {
            headers: auth(t),
            data: { kind: "note", at: "2026-11-21T10:00", recipient: "", text: "Planted by team A" },
          }),
      },
      {
        who: LIMITED,
        call: (r, t) =>
          r.post(`/api/v1/incidents/${f.incidentShared}/entries`, {
            headers: auth(t),
            data: { kind: "note", at: "2026-11-21T10:00", recipient: "", text: "Planted by team A" },
          }),
      },
    ],
  },
  "GET /api/v1/reviews/[id]": {
    attempts: (f) => [{ who: LIMITED, call: (r, t) => r.get(`/api/v1/reviews/${f.reviewB}`, { headers: auth(t) }) }],
  },
  "GET /api/v1/reviews/campaigns": {
    attempts: (f) => [
      {
        who: LIMITED,
        call: (r, t) => r.get("/api/v1/reviews/campaigns", { headers: auth(t) }),
        check: listed((body) =>
          expect(
            (JSON.parse(body) as { data: { id: string; total: number }[] }).data.find((c) => c.id === f.campaign)!
              .total,
          ).toBe(f.paymentsReviews),
        ),
      },
    ],
  },
  "GET /api/v1/reviews/campaigns/[id]": {
    attempts: (f) => [
      {
        who: LIMITED,
        call: (r, t) => r.get(`/api/v1/reviews/campaigns/${f.campaign}`, { headers: auth(t) }),
        check: listed((body) => {
          const reviews = (JSON.parse(body) as { reviews: { id: string; team: string }[] }).reviews;
          expect(reviews).toHaveLength(f.paymentsReviews);
          expect(new Set(reviews.map((r) => r.team))).toEqual(new Set(["Payments"]));
        }),
      },
    ],
  },
};

/** Every route file under app/api/v1 and the methods it exports, as "METHOD /api/v1/path/[param]". */
function routesFromFiles(): string[] {
  const root = path.resolve("app/api/v1");
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => path.basename(f) === "route.ts");
  return files.flatMap((file) => {
    const source = fs.readFileSync(path.join(root, file), "utf8");
    const route = `/api/v1/${path.dirname(file).split(path.sep).join("/")}`.replace(/\/\.$/, "");
    const methods = [
      ...source.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g),
    ].map((m) => m[1]!);
    return methods.map((m) => `${m} ${route}`);
  });
}

const tokens = {} as Record<Who | "adminAll", string>;
let f: Fixture;
let before: unknown;

async function json(request: APIRequestContext, url: string, token = tokens.adminAll) {
  const response = await request.get(url, { headers: auth(token) });
  expect(response.status(), `${url}: ${await response.text()}`).toBe(200);
  return response.json();
}

/** Everything of team B a refused request could have changed, as an unrestricted admin sees it. */
async function teamBState(request: APIRequestContext) {
  const ids = (list: { data: { id: string }[] }) => list.data.map((x) => x.id).sort();
  return {
    api: await json(request, `/api/v1/apis/${f.apiB}`),
    apis: ids(await json(request, `/api/v1/apis?team=${f.teamB}&limit=200`)),
    clients: await json(request, `/api/v1/apis/${f.apiB}/clients`),
    description: await json(request, `/api/v1/apis/${f.apiB}/openapi`),
    events: ids(await json(request, `/api/v1/apis/${f.apiB}/events?limit=500`)),
    incident: await json(request, `/api/v1/incidents/${f.incidentB}`),
    shared: await json(request, `/api/v1/incidents/${f.incidentShared}`),
    incidents: ids(await json(request, "/api/v1/incidents")),
    review: await json(request, `/api/v1/reviews/${f.reviewB}`),
    exports: ids(await json(request, "/api/v1/evidence/exports")),
  };
}

test.beforeAll(async ({ browser, baseURL, request }) => {
  test.setTimeout(180_000);
  // The first dashboard after a server start can take longer than the sign-in helper waits on a busy
  // machine: sign in once, waiting as long as it takes, before the token pages are driven.
  const warm = await browser.newContext({ baseURL });
  const warmPage = await warm.newPage();
  await signIn(warmPage, "admin").catch(() =>
    expect(warmPage.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible({ timeout: 60_000 }),
  );
  await warm.close();
  tokens.adminAll = await createToken(browser, baseURL!, "admin", { name: "matrix: every team", scopes: ALL_SCOPES });
  tokens.adminA = await createToken(browser, baseURL!, "admin", {
    name: "matrix: admin, Payments only",
    scopes: ALL_SCOPES,
    team: "Payments",
  });
  tokens.ownerA = await createToken(browser, baseURL!, "owner", {
    name: "matrix: owner, Payments only",
    scopes: ALL_SCOPES,
    team: "Payments",
  });
  tokens.readOnly = await createToken(browser, baseURL!, "admin", { name: "matrix: read only", scopes: READ_SCOPES });
  const find = async (q: string) =>
    (await json(request, `/api/v1/apis?q=${encodeURIComponent(q)}`)).data[0] as { id: string; team: { id: string } };
  const [ledger, tokenService] = [await find("Payments Ledger"), await find("Token Service")];

  // Team B's objects, made by an unrestricted admin token: a client, an incident of its own and one
  // shared with team A, a description, events, an evidence export of team B.
  const apiB = await json(request, `/api/v1/apis/${tokenService.id}`);
  const client = await request.post(`/api/v1/apis/${tokenService.id}/clients`, {
    headers: auth(tokens.adminAll),
    data: grantBody(`matrix-client-${Date.now()}`),
  });
  expect(client.status()).toBe(201);
  const clientId = (await client.json()).id as string;
  const report = async (title: string, apiIds: string[]) => {
    const response = await request.post("/api/v1/incidents", {
      headers: auth(tokens.adminAll),
      data: incidentBody(title, apiIds),
    });
    expect(response.status()).toBe(201);
    return (await response.json()).id as string;
  };
  const [incidentA, incidentB, incidentShared] = [
    await report("Team A's own incident", [ledger.id]),
    await report("Team B's own incident", [tokenService.id]),
    await report("Incident of both teams", [ledger.id, tokenService.id]),
  ];
  expect(
    (
      await request.put(`/api/v1/apis/${tokenService.id}/openapi`, {
        headers: auth(tokens.adminAll, { "Content-Type": "application/yaml" }),
        data: Buffer.from(SPEC.replace("planted", "team B")),
      })
    ).status(),
  ).toBe(200);
  expect(
    (
      await request.post("/api/v1/events/auth", { headers: auth(tokens.adminAll), data: eventBody(tokenService.id) })
    ).status(),
  ).toBe(201);
  const exported = await request.post("/api/v1/evidence/exports", {
    headers: auth(tokens.adminAll),
    data: { period: "2026", teamIds: [tokenService.team.id] },
  });
  expect(exported.status()).toBe(202);

  // A campaign holding team B's review: the one already open, or one opened now (in the dashboard:
  // opening campaigns is never open to a token). The oldest quarter offered is one no other spec opens.
  let campaigns = (await json(request, "/api/v1/reviews/campaigns")).data as { id: string }[];
  if (!campaigns.length) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signIn(page, "admin");
    await page.goto("/reviews");
    await page.getByLabel("Quarter").selectOption({ index: 0 });
    await page.getByRole("button", { name: "Open campaign" }).click();
    await expect(page.getByRole("status").filter({ hasText: /Opened \d{4}-Q[1-4]/ })).toBeVisible();
    await context.close();
    campaigns = (await json(request, "/api/v1/reviews/campaigns")).data;
  }
  const campaign = (await json(request, `/api/v1/reviews/campaigns/${campaigns[0]!.id}`)) as {
    id: string;
    reviews: { id: string; team: string; apiName: string }[];
  };
  const catalog = catalogDocuments(
    await (await request.get("/api/v1/backstage/catalog", { headers: auth(tokens.adminAll) })).text(),
    "API",
  );
  const entityB = catalog.find((d) => d.metadata.annotations["apiledger.io/id"] === tokenService.id)!;
  entityB.spec.lifecycle = "deprecated";

  f = {
    teamA: ledger.team.id,
    teamB: tokenService.team.id,
    apiA: ledger.id,
    apiB: tokenService.id,
    apiBVersion: apiB.version,
    clientB: clientId,
    clientBVersion: 1,
    incidentA,
    incidentB,
    incidentBVersion: 1,
    incidentShared,
    reviewB: campaign.reviews.find((r) => r.apiName === "Token Service")!.id,
    campaign: campaign.id,
    paymentsReviews: campaign.reviews.filter((r) => r.team === "Payments").length,
    exportB: (await exported.json()).id,
    catalogB: `---\n${stringify(entityB)}`,
  };
  expect(f.paymentsReviews).toBeGreaterThan(0);
  before = await teamBState(request);
});

test("every /api/v1 route file and method is in the matrix, and the matrix names no route that is gone", () => {
  expect(Object.keys(MATRIX).sort()).toEqual(routesFromFiles().sort());
});

for (const [route, decided] of Object.entries(MATRIX)) {
  if ("public" in decided) continue;
  test(`${route}: team B's objects are out of team A's reach`, async ({ request }) => {
    for (const attempt of decided.attempts(f)) {
      for (const who of attempt.who) {
        const response = await attempt.call(request, tokens[who]);
        await test.step(`${who}: ${response.status()}`, async () =>
          attempt.check ? attempt.check(response, who) : refused(response));
      }
    }
  });
}

test("after every attempt, nothing of team B has changed", async ({ request }) => {
  expect(await teamBState(request)).toEqual(before);
});
