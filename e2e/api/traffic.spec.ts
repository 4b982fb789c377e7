import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { createToken } from "./tokens";
import { expectAccessible, signIn } from "../helpers";

// A gateway sends its own access log (NGINX JSON, gzip-compressed NDJSON) with its traffic source's
// token, on SQLite and PostgreSQL servers: the admin registers the source in the dashboard and sees
// what became of its records; nobody else can register one, and no other token can send as one.
test.describe.configure({ mode: "serial" });

const auth = (token: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
let sourceToken = "";
// New on every run (a retry re-runs the group in a new worker), so registering never meets an old name.
const name = `Edge NGINX ${Date.now().toString(36)}`;

let requests = 0;
/** A line of NGINX's JSON log_format (ngx_http_log_module, escape=json), each with its own $request_id. */
const line = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    time: ago(20),
    remote_addr: "10.9.8.7",
    request_method: "GET",
    host: "ledger.internal.example",
    uri: "/v1/entries",
    status: 200,
    request_id: `e2e-${++requests}`,
    client_id: "gl-reconciliation",
    ...over,
  });

test("an admin registers a gateway as a source and gets its token once, on an accessible page", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("link", { name: "Traffic sources" }).click();
  await expect(page.getByRole("heading", { name: "Traffic sources", level: 1 })).toBeVisible();
  await expectAccessible(page);
  const form = page.getByRole("region", { name: "Register a source" });
  await form.getByRole("button", { name: "Register source" }).click();
  await expect(form.getByText("Name the source")).toBeVisible();
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Format it sends").selectOption({ label: "NGINX JSON access log" });
  await form.getByLabel("Team").selectOption({ label: "Payments" });
  // The API is found by typing: the page lists none of the inventory.
  await form.getByRole("combobox", { name: "API its calls are for" }).pressSequentially("payments ledg");
  await form.getByRole("option", { name: "Payments Ledger API" }).click();
  await form.getByRole("button", { name: "Register source" }).click();
  sourceToken = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(sourceToken).toMatch(/^apl_[0-9A-Za-z]{46}$/);
  await expect(page.getByText("/api/v1/traffic")).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("never");
});

test("the gateway's gzip NDJSON is stored, an unreadable line quarantined, and the page shows both", async ({
  page,
  request,
}) => {
  const body = [line(), line({ status: 401, client_id: "intruder" }), "not json", line({ uri: "" })].join("\n");
  const sent = await request.post("/api/v1/traffic", {
    headers: auth(sourceToken, { "Content-Type": "application/x-ndjson", "Content-Encoding": "gzip" }),
    data: gzipSync(body),
  });
  expect(sent.status(), await sent.text()).toBe(200);
  expect(await sent.json()).toMatchObject({ received: 4, stored: 2, quarantined: 2, unrouted: 0, skipped: 0 });
  // The shipper never got the answer and sends the batch again: nothing is stored twice.
  const again = await request.post("/api/v1/traffic", {
    headers: auth(sourceToken, { "Content-Type": "application/x-ndjson", "Content-Encoding": "gzip" }),
    data: gzipSync(body),
  });
  expect(await again.json()).toMatchObject({ received: 4, stored: 0, quarantined: 0, duplicates: 4 });

  await signIn(page, "admin");
  await page.goto("/traffic");
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("2 stored · 2 quarantined · 0 unrouted · 4 sent again (not stored twice)");
  await expect(row.getByRole("img", { name: "Quarantined: 2" })).toBeVisible();
  await row.getByRole("link", { name: "Payments Ledger API" }).click();
  await expect(page.getByRole("cell", { name: "intruder" }).first()).toBeVisible();

  // The source's page: what is in its quarantine and why, read again or purged.
  await page.goto("/traffic");
  await page
    .getByRole("row", { name: new RegExp(name) })
    .getByRole("link", { name: "2 in quarantine" })
    .click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Quarantined records" });
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table).toContainText("not valid JSON");
  await expect(table).toContainText('"not json"');
  await expectAccessible(page);
  await page.getByRole("button", { name: "Read again" }).click();
  await expect(page.getByText("2 record(s) read again: 0 stored, 0 unrouted, 2 still unreadable.")).toBeVisible();
  await page.getByRole("button", { name: "Purge…" }).click();
  const dialog = page.getByRole("dialog", { name: "Purge 2 quarantined record(s)?" });
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Purge" }).click();
  await expect(page.getByText("2 record(s) purged.")).toBeVisible();
  await expect(page.getByText("Nothing in the quarantine")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Quarantine (0)" })).toBeVisible();
});

test("no other token sends as a source, and only admins see the page", async ({ browser, baseURL, page, request }) => {
  const person = await createToken(browser, baseURL!, "owner", { name: "not a source", scopes: ["events:write"] });
  const refused = await request.post("/api/v1/traffic", {
    headers: auth(person, { "Content-Type": "application/x-ndjson" }),
    data: line(),
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).detail).toContain("does not belong to a traffic source");
  // The source's token is limited to its team and scope: it reads nothing.
  expect((await request.get("/api/v1/apis", { headers: auth(sourceToken) })).status()).toBe(403);
  const strange = await request.post("/api/v1/traffic", {
    headers: auth(sourceToken, { "Content-Type": "text/plain" }),
    data: line(),
  });
  expect(strange.status()).toBe(415);

  await signIn(page, "manager");
  await expect(page.getByRole("link", { name: "Traffic sources" })).toHaveCount(0);
  expect((await page.goto("/traffic"))!.status()).toBe(403);
});

test("calls to an API nobody registered are discovered; the admin routes one to an API and ignores another", async ({
  page,
  request,
}) => {
  await signIn(page, "admin");
  await page.goto("/traffic");
  // A gateway in front of many APIs: no API of its own, so its calls are routed by rules or discovered.
  const form = page.getByRole("region", { name: "Register a source" });
  await form.getByLabel("Name").fill(`${name} shared`);
  await form.getByLabel("Format it sends").selectOption({ label: "NGINX JSON access log" });
  await form.getByLabel("Team").selectOption({ label: "Payments" });
  await form.getByRole("button", { name: "Register source" }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  const host = `shadow-${Date.now().toString(36)}.internal.example`;
  const send = async (lines: string[]) => {
    const response = await request.post("/api/v1/traffic", {
      headers: auth(token, { "Content-Type": "application/x-ndjson" }),
      data: lines.join("\n"),
    });
    expect(response.status(), await response.text()).toBe(200);
    return response.json();
  };
  expect(
    await send([
      line({ host, uri: "/v1/orders/1" }),
      line({ host, uri: "/v1/orders/2", request_method: "POST", status: 401, client_id: "intruder" }),
      line({ host, uri: "/status" }),
    ]),
  ).toMatchObject({ stored: 0, unrouted: 3 });

  await page.getByRole("link", { name: "Routing and discovered APIs" }).click();
  await expect(page.getByRole("heading", { name: "Routing and discovered APIs", level: 1 })).toBeVisible();
  await expectAccessible(page);
  const orders = page.getByRole("row", { name: new RegExp(`${host}/v1/orders`) });
  await expect(orders).toContainText("GET, POST");
  await expect(orders).toContainText("1 refused");
  await expect(orders).toContainText("intruder");
  // Registering it starts from what traffic shows: its name and base URL, in its team.
  await orders.getByRole("link", { name: "Register it…" }).click();
  await expect(page.getByRole("heading", { name: "Register an API", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`${host}/v1/orders`);
  await expect(page.locator(`input[value="https://${host}/v1/orders"]`)).toBeVisible();
  await page.goBack();
  await orders.getByRole("combobox", { name: `Route ${host}/v1/orders to` }).pressSequentially("ledger");
  await orders.getByRole("option", { name: "Payments Ledger API" }).click();
  await orders.getByRole("button", { name: "Route", exact: true }).click();
  await expect(page.getByText(`${host}/v1/orders now goes to the API you chose.`)).toBeVisible();
  await expect(page.getByRole("table", { name: "Routing rules, in the order they are tried" })).toContainText(host);

  const status = page.getByRole("row", { name: new RegExp(`${host}/status`) });
  await status.getByRole("button", { name: "Ignore…" }).click();
  const dialog = page.getByRole("dialog", { name: `Ignore ${host}/status?` });
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Ignore", exact: true }).click();
  await expect(dialog.getByText("Say why it is ignored")).toBeVisible();
  await dialog.getByLabel("Reason").fill("The load balancer's health check");
  await dialog.getByRole("button", { name: "Ignore", exact: true }).click();
  await expect(page.getByText(`${host}/status is ignored.`)).toBeVisible();
  await page.getByText(/Routed or ignored/).click();
  await expect(page.getByRole("row", { name: new RegExp(`${host}/status`) })).toContainText(
    "Ignored: The load balancer's health check",
  );

  // From now on the orders calls are the ledger's events.
  expect(await send([line({ host, uri: "/v1/orders/3", client_id: "now-routed" })])).toMatchObject({
    stored: 1,
    unrouted: 0,
  });
});

test("an admin maps a home-grown gateway's JSON, tries the mapping on a sample, and corrects it later", async ({
  page,
  request,
}) => {
  const jsonName = `${name} home-grown`;
  const record = (over: Record<string, unknown> = {}) => ({
    ts: Date.now() - 20_000,
    req: { verb: "POST", url: "/v1/entries?x=1", headers: { "x-client-id": "mapped-e2e" } },
    res: { code: 201 },
    app: "fallback-app",
    ...over,
  });
  await signIn(page, "admin");
  await page.goto("/traffic");
  const form = page.getByRole("region", { name: "Register a source" });
  await form.getByLabel("Name").fill(jsonName);
  await form
    .getByLabel("Format it sends")
    .selectOption({ label: "Any JSON or NDJSON log, read through a field mapping you define" });
  await form.getByLabel("Team").selectOption({ label: "Payments" });
  // The API is found by typing: the page lists none of the inventory.
  await form.getByRole("combobox", { name: "API its calls are for" }).pressSequentially("payments ledg");
  await form.getByRole("option", { name: "Payments Ledger API" }).click();
  await form.getByRole("button", { name: "Register source" }).click();
  await expect(form.getByLabel("Time", { exact: true })).toHaveAccessibleDescription(/Say where the record holds it/);
  await form.getByLabel("Time", { exact: true }).fill("ts");
  await form.getByLabel("A time written as a number is").selectOption("ms");
  await form.getByLabel("Method").fill("req.verb");
  await form.getByLabel("Path").fill("req.url");
  await form.getByLabel("Status").fill("res.code");
  await form.getByLabel("Client (the calling application)").fill('req.headers["x-client-id"]');
  // Tried on what the gateway writes before anything is sent: one record reads, one says why not.
  await form
    .getByLabel("Records as the gateway writes them")
    .fill(`${JSON.stringify(record())}\n${JSON.stringify(record({ ts: "later" }))}`);
  await form.getByRole("button", { name: "Preview" }).click();
  const preview = form.getByRole("table", { name: "What the mapping reads from each record of the sample" });
  await expect(preview.getByRole("row", { name: /^1 / })).toContainText("mapped-e2e");
  await expect(preview.getByRole("row", { name: /^1 / })).toContainText("/v1/entries");
  await expect(preview.getByRole("row", { name: /^2 / })).toContainText("Not read: unreadable time “later”.");
  await expectAccessible(page);
  await form.getByRole("button", { name: "Register source" }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^apl_/);

  const sent = await request.post("/api/v1/traffic", {
    headers: auth(token, { "Content-Type": "application/x-ndjson" }),
    data: [record(), record({ req: { verb: "GET", url: "/v1/entries/2", headers: {} } })]
      .map((r) => JSON.stringify(r))
      .join("\n"),
  });
  expect(await sent.json()).toMatchObject({ received: 2, stored: 2 });

  // The mapping is changed on the source's page: the client falls back to the record's app.
  await page.goto("/traffic");
  await page
    .getByRole("row", { name: new RegExp(jsonName) })
    .getByRole("link", { name: jsonName })
    .click();
  const mapping = page.getByRole("region", { name: "Field mapping" });
  await expect(mapping.getByLabel("Time", { exact: true })).toHaveValue("ts");
  await mapping.getByLabel("Client (the calling application)").fill('req.headers["x-client-id"] | app');
  await mapping.getByRole("button", { name: "Save mapping" }).click();
  await expect(mapping.getByText("Mapping saved.")).toBeVisible();
  await expectAccessible(page);
  const later = await request.post("/api/v1/traffic", {
    headers: auth(token, { "Content-Type": "application/json" }),
    data: [record({ req: { verb: "GET", url: "/v1/entries/3", headers: {} } })],
  });
  expect(await later.json()).toMatchObject({ stored: 1 });
  await page.goto("/traffic");
  await page
    .getByRole("row", { name: new RegExp(jsonName) })
    .getByRole("link", { name: "Payments Ledger API" })
    .click();
  await expect(page.getByRole("cell", { name: "fallback-app" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "mapped-e2e" }).first()).toBeVisible();
});
