import { expect, test, type Page } from "@playwright/test";
import { createPerson, expectAccessible, NEW_PASSWORD, signIn, signInAs, stealCookies } from "./helpers";

// The penetration test's findings, replayed: a copy of a session cookie (a "stolen" one, in a second
// browser context) must stop working when its person signs out, changes their password or is
// deactivated, and a session on a one-time password may do nothing but change it.

async function expectCookieWorks(thief: Page) {
  await thief.goto("/apis");
  await expect(thief.getByRole("heading", { name: "API inventory", level: 1 })).toBeVisible();
  expect((await thief.request.get("/api/v1/apis")).status()).toBe(200);
}

async function expectCookieDead(thief: Page) {
  await thief.goto("/apis");
  await expect(thief).toHaveURL(/\/login/);
  const rest = await thief.request.get("/api/v1/apis");
  expect(rest.status()).toBe(401);
  expect(rest.headers()["www-authenticate"]).toContain("Bearer");
  // Renewing through next-auth's session endpoint gives nothing back either.
  expect(await (await thief.request.get("/api/auth/session")).json()).toEqual({});
  expect((await thief.request.get("/api/apis/export")).status()).toBe(401);
}

test.describe("sessions", () => {
  test("a copied cookie stops working when its person signs out", async ({ page, browser }) => {
    await signIn(page, "auditor");
    const thief = await stealCookies(browser, page);
    await expectCookieWorks(thief);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await expectCookieDead(thief);
    await thief.context().close();
  });

  test("a one-time password opens nothing but its change; the change ends every session, a copied one too", async ({
    page,
    browser,
  }) => {
    await signIn(page, "admin");
    const person = await createPerson(page, "SYSTEM_OWNER");
    const context = await browser.newContext();
    const own = await context.newPage();
    await signInAs(own, person.email, person.oneTimePassword);
    await expect(own.getByRole("heading", { name: "Change your password" })).toBeVisible();

    // Until it is changed: pages send to the change, REST and CSV refuse with what to do, tokens too.
    await own.goto("/account/tokens");
    await expect(own.getByRole("heading", { name: "Change your password" })).toBeVisible();
    const rest = await own.request.get("/api/v1/apis");
    expect(rest.status()).toBe(403);
    expect(rest.headers()["content-type"]).toContain("application/problem+json");
    expect((await rest.json()).detail).toContain("one-time password");
    const csv = await own.request.get("/api/apis/export");
    expect(csv.status()).toBe(403);
    expect(await csv.text()).toContain("one-time password");

    const thief = await stealCookies(browser, own);
    await own.getByLabel("Current password").fill(person.oneTimePassword);
    await own.getByLabel(/New password \(at least/).fill(NEW_PASSWORD);
    await own.getByLabel("New password again").fill(NEW_PASSWORD);
    await own.getByRole("button", { name: "Change password" }).click();
    await expect(own.getByRole("status")).toContainText("every session of your account has ended");
    await expectCookieDead(thief);

    // Signed in again with the new password, the person works normally.
    await signInAs(own, person.email, NEW_PASSWORD);
    await expect(own.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    expect((await own.request.get("/api/v1/apis")).status()).toBe(200);
    await context.close();
    await thief.context().close();
  });

  test("deactivation ends a copied cookie at once; the person sees and ends their own other sessions", async ({
    page,
    browser,
  }) => {
    await signIn(page, "admin");
    const person = await createPerson(page, "AUDITOR");
    const context = await browser.newContext({ userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0" });
    const own = await context.newPage();
    await signInAs(own, person.email, person.oneTimePassword);
    await own.getByLabel("Current password").fill(person.oneTimePassword);
    await own.getByLabel(/New password \(at least/).fill(NEW_PASSWORD);
    await own.getByLabel("New password again").fill(NEW_PASSWORD);
    await own.getByRole("button", { name: "Change password" }).click();
    await expect(own.getByRole("status")).toContainText("every session of your account has ended");
    await signInAs(own, person.email, NEW_PASSWORD);
    await expect(own.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

    // A second sign-in elsewhere, seen and ended from the first.
    const laptop = await browser.newContext({
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Version/17.5 Safari/605.1.15",
    });
    const other = await laptop.newPage();
    await signInAs(other, person.email, NEW_PASSWORD);
    await expect(other.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await own.getByRole("link", { name: "Sessions" }).click();
    await expect(own.getByRole("heading", { name: "Your sessions", level: 1 })).toBeVisible();
    const table = own.getByRole("table", { name: "Your sessions" });
    // The one-time-password session ended with the change and is listed as such.
    await expect(table.getByRole("row", { name: /Firefox on Windows .* this session$/ })).toBeVisible();
    await expect(table.getByRole("row", { name: /Firefox on Windows .* ended password changed/ })).toBeVisible();
    await expect(table.getByRole("row", { name: /Safari on macOS .* open End the session/ })).toBeVisible();
    await expectAccessible(own);
    await own.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(own.getByRole("status")).toContainText("Ended 1 session");
    await expect(table.getByRole("row", { name: /Safari on macOS/ })).toContainText("signed out everywhere else");
    await other.goto("/apis");
    await expect(other).toHaveURL(/\/login/);
    await laptop.close();

    // The admin deactivates the person: a copy of the remaining cookie dies with the account.
    const thief = await stealCookies(browser, own);
    await expectCookieWorks(thief);
    // Most recent sign-in first: the person is on the first page however many accounts exist.
    await page.goto("/users?sort=-lastSignInAt");
    const row = page.getByRole("row", { name: new RegExp(person.email.replace(/\./g, "\\.")) });
    await row.getByLabel("Active").uncheck();
    await row.getByRole("button", { name: "Save" }).click();
    await expect(row.getByText("Saved.")).toBeVisible();
    await expectCookieDead(thief);
    await own.goto("/apis");
    await expect(own).toHaveURL(/\/login/);
    await context.close();
    await thief.context().close();

    // The audit log says what ended and why.
    await page.goto("/audit?action=session.");
    await expect(page.getByRole("table")).toContainText(`1 session(s) of ${person.email} ended (account deactivated)`);
  });

  test("an admin ends someone's sessions and revokes their tokens from the person's page", async ({
    page,
    browser,
    request,
  }) => {
    const context = await browser.newContext();
    const victim = await context.newPage();
    await signIn(victim, "owner");
    // The person made a token; a leaked copy of it works until an admin revokes it.
    await victim.goto("/account/tokens");
    const form = victim.getByRole("region", { name: "New token" });
    const name = `Leaked laptop token ${Date.now()}`;
    await form.getByLabel("Token name").fill(name);
    await form.getByLabel("Expires after (days)").fill("30");
    await form.getByRole("button", { name: "Create token" }).click();
    const secret = (await victim.getByTestId("new-token").textContent())!.trim();
    const withToken = { headers: { authorization: `Bearer ${secret}` } };
    expect((await request.get("/api/v1/apis", withToken)).status()).toBe(200);
    await signIn(page, "admin");
    await page.goto("/users");
    await page.getByRole("link", { name: "Olivia Owner: sessions and tokens" }).click();
    await expect(page.getByRole("heading", { name: "Olivia Owner", level: 1 })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "End all sessions" }).click();
    await expect(page.getByRole("status")).toContainText(/Ended \d+ session/);
    await victim.goto("/apis");
    await expect(victim).toHaveURL(/\/login/);
    await context.close();

    await page.getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(page.getByRole("status").filter({ hasText: "Revoked" })).toHaveText(`Revoked ${name}.`);
    await expect(page.getByRole("table", { name: "API tokens of Olivia Owner" })).toContainText("revoked");
    const refused = await request.get("/api/v1/apis", withToken);
    expect(refused.status()).toBe(401);
    expect((await refused.json()).detail).toContain("token revoked");
  });
});
