import { expect, test, type APIRequestContext } from "@playwright/test";
import { createToken, createTokenOn } from "./tokens";
import { NEW_PASSWORD, replaceOneTimePassword, signIn, signInAs } from "../helpers";

// SCIM 2.0 over real HTTP on SQLite and PostgreSQL, with the request sequences identity providers send:
// Microsoft Entra ID's provisioning service ("Develop a SCIM endpoint": user and group requests, its
// Replace/Add/Remove PATCH operations with capitalised op names, filter on userName and displayName) and
// Okta's SCIM 2.0 reference (PATCH with a value object and no path; members[value eq "…"] removal).
// The effects are checked where people see them: sessions and tokens end, roles and teams follow the
// groups, and the audit log records each change.
test.describe.configure({ mode: "serial" });

const SCIM = "application/scim+json";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

let token = "";
const run = `${Date.now()}`;
const email = `scim.person.${run}@agency.example`;
const upn = `scim.person.${run}@agency.onmicrosoft.example`;

const call = (request: APIRequestContext, method: string, path: string, body?: unknown, secret = token) =>
  request.fetch(`/api/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, ...(body ? { "content-type": SCIM } : {}) },
    ...(body ? { data: JSON.stringify(body) } : {}),
  });

async function expectScimError(response: Awaited<ReturnType<typeof call>>, status: number) {
  expect(response.status()).toBe(status);
  expect(response.headers()["content-type"]).toContain(SCIM);
  const body = await response.json();
  expect(body.schemas).toEqual([ERROR]);
  expect(body.status).toBe(String(status));
  return body as { detail: string; scimType?: string };
}

test.beforeAll(async ({ browser, baseURL }) => {
  token = await createToken(browser, baseURL!, "admin", { name: `scim ${run}`, scopes: ["scim:provision"] });
});

test("discovery: the service provider configuration, resource types and schemas", async ({ request }) => {
  const config = await call(request, "GET", "/ServiceProviderConfig");
  expect(config.status()).toBe(200);
  expect(config.headers()["content-type"]).toContain(SCIM);
  const body = await config.json();
  expect(body.patch.supported).toBe(true);
  expect(body.filter.supported).toBe(true);
  expect(body.bulk.supported).toBe(false);
  expect(body.authenticationSchemes[0].type).toBe("oauthbearertoken");
  const types = await (await call(request, "GET", "/ResourceTypes")).json();
  expect(types.Resources.map((t: { name: string }) => t.name).sort()).toEqual(["Group", "User"]);
  const schemas = await (await call(request, "GET", "/Schemas")).json();
  expect(schemas.Resources.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([USER, GROUP]));
});

test("refuses callers who may not provision, in SCIM's error format", async ({ request, browser, baseURL }) => {
  const none = await request.get("/api/scim/v2/Users");
  await expectScimError(none, 401);
  await expectScimError(await call(request, "GET", "/Users", undefined, "apl_" + "x".repeat(46)), 401);
  // An admin's inventory token, a team-limited SCIM token, a non-admin's SCIM-scoped token.
  const inventory = await createToken(browser, baseURL!, "admin", { name: `inv ${run}`, scopes: ["inventory:read"] });
  await expectScimError(await call(request, "GET", "/Users", undefined, inventory), 403);
  const limited = await createToken(browser, baseURL!, "admin", {
    name: `scim limited ${run}`,
    scopes: ["scim:provision"],
    team: "Payments",
  });
  await expectScimError(await call(request, "GET", "/Users", undefined, limited), 403);
  // A system owner is not offered the scope at all (the service refuses it too).
  const owner = await (await browser.newContext({ baseURL })).newPage();
  await signIn(owner, "owner");
  await owner.goto("/account/tokens");
  const form = owner.getByRole("region", { name: "New token" });
  await expect(form.getByRole("checkbox", { name: /^inventory:read / })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: /^scim:provision / })).toHaveCount(0);
});

test("provisions, updates, groups, deactivates and removes a person as Entra ID and Okta do; the effects show", async ({
  request,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  // Entra ID: is the person there? Then create them.
  const lookup = await call(request, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${upn}"`)}`);
  expect((await lookup.json()).totalResults).toBe(0);
  const created = await call(request, "POST", "/Users", {
    schemas: [USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    externalId: `entra-${run}`,
    userName: upn,
    active: true,
    emails: [{ primary: true, type: "work", value: email }],
    meta: { resourceType: "User" },
    name: { formatted: "Sam Provisioned", familyName: "Provisioned", givenName: "Sam" },
    roles: [],
  });
  expect(created.status()).toBe(201);
  const user = await created.json();
  expect(user).toMatchObject({
    userName: upn,
    active: true,
    externalId: `entra-${run}`,
    displayName: "Sam Provisioned",
  });
  expect(created.headers().location).toBe(user.meta.location);
  expect(user.meta.location).toMatch(new RegExp(`/api/scim/v2/Users/${user.id}$`));
  const found = await (
    await call(request, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${upn}"`)}`)
  ).json();
  expect(found).toMatchObject({ schemas: [LIST], totalResults: 1 });
  expect(found.Resources[0].id).toBe(user.id);
  // The same person again is a conflict (Entra then matches instead of creating).
  const again = await call(request, "POST", "/Users", {
    schemas: [USER],
    userName: upn,
    emails: [{ value: email, primary: true }],
  });
  expect((await expectScimError(again, 409)).scimType).toBe("uniqueness");

  // Entra's PATCH: capitalised operations, a path per attribute.
  const renamed = await call(request, "PATCH", `/Users/${user.id}`, {
    schemas: [PATCH_OP],
    Operations: [
      { op: "Replace", path: "displayName", value: "Sam Renamed" },
      { op: "Add", path: "name.givenName", value: "Samuel" },
    ],
  });
  expect(renamed.status()).toBe(200);
  expect((await renamed.json()).displayName).toBe("Sam Renamed");

  // Groups: a role group (OIDC_ROLE_MAP) and a team group (named like a team), members added Entra's way.
  // Entra looks a group up by name first and creates it only when it is not there (a retry of this test
  // finds the ones its first attempt made).
  const findOrCreateGroup = async (displayName: string, externalId: string) => {
    const filter = encodeURIComponent(`displayName eq "${displayName}"`);
    const existing = await (await call(request, "GET", `/Groups?filter=${filter}&excludedAttributes=members`)).json();
    if (existing.totalResults === 1) return existing.Resources[0];
    const made = await call(request, "POST", "/Groups", { schemas: [GROUP], externalId, displayName, members: [] });
    expect(made.status()).toBe(201);
    return made.json();
  };
  const roleGroup = await findOrCreateGroup("apiledger-managers", `g1-${run}`);
  const teamGroup = await findOrCreateGroup("Payments", `g2-${run}`);
  for (const group of [roleGroup, teamGroup]) {
    const added = await call(request, "PATCH", `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: [{ value: user.id }] }],
    });
    expect([200, 204]).toContain(added.status());
  }
  const byName = await (
    await call(
      request,
      "GET",
      `/Groups?filter=${encodeURIComponent('displayName eq "apiledger-managers"')}&excludedAttributes=members`,
    )
  ).json();
  expect(byName.totalResults).toBe(1);
  expect(byName.Resources[0].members).toBeUndefined();
  const withGroups = await (await call(request, "GET", `/Users/${user.id}`)).json();
  expect(withGroups.groups.map((g: { display: string }) => g.display).sort()).toEqual([
    "Payments",
    "apiledger-managers",
  ]);

  // The admin sees a manager in Payments, gives them a password; they sign in and create a token.
  const admin = await (await browser.newContext({ baseURL })).newPage();
  await signIn(admin, "admin");
  await admin.goto(`/users?q=${encodeURIComponent(email)}`);
  const row = admin.getByRole("row", { name: new RegExp(email.replace(/\./g, "\\.")) });
  await expect(row).toContainText("Sam Renamed");
  await expect(row.getByLabel("Role")).toHaveValue("MANAGER");
  await expect(row.getByLabel("Team")).toHaveValue(/.+/);
  await row.getByRole("button", { name: "Reset password" }).click();
  const otp = (await admin
    .getByRole("status")
    .filter({ hasText: "One-time password for" })
    .locator("code")
    .textContent())!;
  const person = await (await browser.newContext({ baseURL })).newPage();
  await replaceOneTimePassword(person, { email, oneTimePassword: otp });
  await signInAs(person, email, NEW_PASSWORD);
  await expect(person.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  const personal = await createTokenOn(person, { name: "mine", scopes: ["inventory:read"] });
  expect((await request.get("/api/v1/apis", { headers: { authorization: `Bearer ${personal}` } })).status()).toBe(200);

  // Okta's removal from a group: the role falls back and the person's session ends (role changed).
  const removed = await call(request, "PATCH", `/Groups/${roleGroup.id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "remove", path: `members[value eq "${user.id}"]` }],
  });
  expect([200, 204]).toContain(removed.status());
  await person.goto("/apis");
  await expect(person).toHaveURL(/\/login/);
  await signInAs(person, email, NEW_PASSWORD);
  await expect(person.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

  // Okta's deactivation: PATCH with a value object and no path. Sessions end, tokens are revoked at once.
  const deactivated = await call(request, "PATCH", `/Users/${user.id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "replace", value: { active: false } }],
  });
  expect(deactivated.status()).toBe(200);
  expect((await deactivated.json()).active).toBe(false);
  await person.goto("/apis");
  await expect(person).toHaveURL(/\/login/);
  const refused = await request.get("/api/v1/apis", { headers: { authorization: `Bearer ${personal}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).detail).toContain("token revoked");
  // Reactivation does not revive the token.
  await call(request, "PATCH", `/Users/${user.id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "Replace", path: "active", value: true }],
  });
  expect((await request.get("/api/v1/apis", { headers: { authorization: `Bearer ${personal}` } })).status()).toBe(401);

  // Entra's delete: gone from SCIM, the account kept deactivated for the audit trail.
  expect((await call(request, "DELETE", `/Users/${user.id}`)).status()).toBe(204);
  await expectScimError(await call(request, "GET", `/Users/${user.id}`), 404);
  expect((await call(request, "DELETE", `/Groups/${teamGroup.id}`)).status()).toBe(204);
  await expectScimError(await call(request, "GET", `/Groups/${teamGroup.id}`), 404);

  // Every change names the person as its record (the admin's SCIM token is who made it).
  await admin.goto(`/audit?q=${encodeURIComponent(user.id)}&action=user.`);
  await expect(
    admin.getByText(`Created ${email} (SYSTEM_OWNER) by the identity provider (SCIM)`).first(),
  ).toBeVisible();
  await admin.goto(`/audit?q=${encodeURIComponent(user.id)}`);
  for (const line of [
    `Role of ${email} changed from MANAGER to SYSTEM_OWNER by the identity provider (SCIM)`,
    `Deactivated ${email} by the identity provider (SCIM)`,
    `Removed ${email} by the identity provider (SCIM)`,
  ])
    await expect(admin.getByText(line).first()).toBeVisible();
  await expect(
    admin.getByText(new RegExp(`API token\\(s\\) of ${email.replace(/\./g, "\\.")} revoked`)).first(),
  ).toBeVisible();
  await expect(
    admin
      .getByText(new RegExp(`session\\(s\\) of ${email.replace(/\./g, "\\.")} ended \\(account deactivated\\)`))
      .first(),
  ).toBeVisible();
});

test("hostile values are refused as SCIM errors, never a server error", async ({ request }) => {
  for (const value of ["nul\u0000inside", "invoice\u202Egpj.exe", "x".repeat(400)]) {
    const response = await call(request, "POST", "/Users", {
      schemas: [USER],
      userName: value,
      emails: [{ value: `h${Date.now()}@agency.example`, primary: true }],
      displayName: value,
    });
    await expectScimError(response, 400);
  }
  let deep: unknown = "x";
  for (let i = 0; i < 2000; i++) deep = [deep];
  const nested = await call(request, "POST", "/Users", { schemas: [USER], userName: deep });
  expect(nested.status()).toBe(400);
  await expectScimError(
    await call(request, "GET", `/Users?filter=${encodeURIComponent('userName eq "unterminated')}`),
    400,
  );
  // Nulls where objects belong: a SCIM error naming the problem, never a fault or a runtime message.
  for (const body of [
    { schemas: [USER], userName: "not-an-address", emails: [null] },
    { schemas: [USER], userName: "not-an-address", emails: [{ value: null }] },
    { schemas: [USER], userName: `n${run}@agency.example`, name: null, emails: null },
  ]) {
    const response = await call(request, "POST", "/Users", body);
    expect(response.status(), JSON.stringify(body)).toBeLessThan(500);
    const text = await response.text();
    expect(text).not.toMatch(/Cannot read|undefined|null \(reading/);
  }
});

test("an Idempotency-Key (which SCIM does not know) is ignored, not a fault", async ({ request }) => {
  const response = await request.fetch("/api/scim/v2/Users", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": SCIM, "idempotency-key": `k-${run}` },
    data: JSON.stringify({ schemas: [USER], userName: `idem.${run}@agency.example` }),
  });
  expect(response.status()).toBe(201);
});

test("the provider cannot deactivate, remove or re-address the admin whose token it uses, nor a password account", async ({
  request,
}) => {
  for (const who of ["admin@example.com", "dana.admin@example.com"]) {
    const list = await (
      await call(request, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${who}"`)}`)
    ).json();
    expect(list.totalResults).toBe(1);
    const id = list.Resources[0].id;
    const off = await call(request, "PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { active: false } }],
    });
    expect((await expectScimError(off, 403)).detail).toContain(who);
    const moved = await call(request, "PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", path: "emails", value: [{ value: `taken.${run}@idp.example`, primary: true }] }],
    });
    await expectScimError(moved, 403);
    await expectScimError(await call(request, "DELETE", `/Users/${id}`), 403);
    const still = await (await call(request, "GET", `/Users/${id}`)).json();
    expect(still).toMatchObject({ active: true, emails: [{ value: who }] });
  }
});
