import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { verifyBundle } from "@/lib/evidence/verify-bundle";
import { createToken } from "./tokens";

// Evidence exports over HTTP, on SQLite and PostgreSQL servers: request, poll, download, verify.
test.describe.configure({ mode: "serial" });

const auth = (token: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });
let auditor: string, auditorNoScope: string, ownerAll: string, paymentsOnly: string;

test.beforeAll(async ({ browser, baseURL }) => {
  auditor = await createToken(browser, baseURL!, "auditor", {
    name: "evidence robot",
    scopes: ["evidence:read", "inventory:read"],
  });
  auditorNoScope = await createToken(browser, baseURL!, "auditor", {
    name: "inventory only",
    scopes: ["inventory:read"],
  });
  ownerAll = await createToken(browser, baseURL!, "owner", { name: "owner evidence", scopes: ["evidence:read"] });
  paymentsOnly = await createToken(browser, baseURL!, "admin", {
    name: "payments evidence",
    scopes: ["evidence:read", "inventory:read"],
    team: "Payments",
  });
});

async function waitUntilDone(request: APIRequestContext, token: string, location: string) {
  for (let i = 0; i < 120; i++) {
    const status = await (await request.get(location, { headers: auth(token) })).json();
    if (status.status !== "RUNNING") return status;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the export did not finish in 60 s");
}

test("an auditor's token requests a bundle, polls it and downloads a ZIP that verifies against the published key", async ({
  request,
}) => {
  const year = String(new Date().getUTCFullYear());
  const started = await request.post("/api/v1/evidence/exports", {
    headers: auth(auditor),
    data: { period: year, controls: ["ism-2013", "ism-2014"] },
  });
  expect(started.status()).toBe(202);
  const location = started.headers()["location"]!;
  const done = await waitUntilDone(request, auditor, location);
  expect(done, done.error ?? "").toMatchObject({ status: "DONE", period: year, requestedBy: "auditor@example.com" });
  const bundle = await request.get(`${location}/bundle`, { headers: auth(auditor) });
  expect(bundle.status()).toBe(200);
  expect(bundle.headers()["content-type"]).toBe("application/zip");
  expect(bundle.headers()["etag"]).toBe(`"${done.sha256}"`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-api-bundle-")), "bundle.zip");
  fs.writeFileSync(file, await bundle.body());
  const key = await request.get("/api/v1/evidence/public-key", { headers: auth(auditor) });
  const report = await verifyBundle(file, { publicKeyPem: await key.text() });
  expect(report.problems).toEqual([]);
  expect(report.fingerprint).toBe(key.headers()["x-key-fingerprint-sha256"]);
  expect(report.manifest).toMatchObject({ scope: { period: year, controls: ["ism-2013", "ism-2014"] } });
  const listed = (await (await request.get("/api/v1/evidence/exports", { headers: auth(auditor) })).json()).data;
  expect(listed.map((e: { id: string }) => e.id)).toContain(done.id);
});

test("bad scopes get a problem naming the field; tokens without the scope, owners and other teams get 403", async ({
  request,
}) => {
  const bad = await request.post("/api/v1/evidence/exports", {
    headers: auth(auditor),
    data: { period: "2026-12-31..2026-10-01", controls: ["ism-9999"] },
  });
  expect(bad.status()).toBe(400);
  const problem = await bad.json();
  expect(problem.type).toBe("https://apiledger.invalid/problems/validation");
  expect(problem.errors.period[0]).toMatch(/before it starts/);
  expect(problem.errors.controls[0]).toMatch(/Unknown control: ism-9999/);
  expect(
    (
      await request.post("/api/v1/evidence/exports", {
        headers: auth(auditor),
        data: { period: "2026", format: "zip" },
      })
    ).status(),
  ).toBe(400);
  expect(
    (
      await request.post("/api/v1/evidence/exports", { headers: auth(auditorNoScope), data: { period: "2026" } })
    ).status(),
  ).toBe(403);
  expect(
    (await request.post("/api/v1/evidence/exports", { headers: auth(ownerAll), data: { period: "2026" } })).status(),
  ).toBe(403);
  expect((await request.get("/api/v1/evidence/exports", { headers: auth(ownerAll) })).status()).toBe(403);
  // A token limited to Payments exports Payments alone, and does not see the others' exports.
  expect(
    (
      await request.post("/api/v1/evidence/exports", { headers: auth(paymentsOnly), data: { period: "2026" } })
    ).status(),
  ).toBe(403);
  expect((await (await request.get("/api/v1/evidence/exports", { headers: auth(paymentsOnly) })).json()).data).toEqual(
    [],
  );
  const payments = (
    await (await request.get("/api/v1/apis?q=Payments%20Ledger", { headers: auth(paymentsOnly) })).json()
  ).data[0].team.id as string;
  const own = await request.post("/api/v1/evidence/exports", {
    headers: auth(paymentsOnly),
    data: { period: "2026", teamIds: [payments] },
  });
  expect(own.status()).toBe(202);
  expect(
    (await (await request.get("/api/v1/evidence/exports", { headers: auth(paymentsOnly) })).json()).data.map(
      (e: { id: string }) => e.id,
    ),
  ).toEqual([(await own.json()).id]);
  await waitUntilDone(request, paymentsOnly, own.headers()["location"]!);
});
