import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "ApiLedger-demo-1";
export const USERS = {
  admin: "admin@example.com",
  owner: "owner@example.com",
  manager: "manager@example.com",
  auditor: "auditor@example.com",
} as const;

export async function signIn(page: Page, who: keyof typeof USERS, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(USERS[who]);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
}

/** WCAG 2.2 AA automated check of the current page; fails with the list of violations. */
export async function expectAccessible(page: Page) {
  // Every page's title ends in "ApiLedger". After a client-side navigation the previous page's title
  // matches too, so callers wait for the new page's heading first (axe once ran mid-navigation, when
  // the router had taken the old <title> out and not yet put the new one in).
  await expect(page).toHaveTitle(/ApiLedger/);
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const summary = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(" "))
        .slice(0, 3)
        .join(", ")}`,
  );
  expect(summary, "accessibility violations").toEqual([]);
}

export const NEW_PASSWORD = "a-long-enough-passphrase-1";

/** An admin creates a person; returns their e-mail, name and one-time password. */
export async function createPerson(admin: Page, role: "SYSTEM_OWNER" | "AUDITOR") {
  const email = `person.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
  const name = `Test Person ${email.split(".")[1]}`;
  await admin.goto("/users");
  await admin.getByLabel("Email", { exact: true }).fill(email);
  await admin.getByLabel("Name", { exact: true }).fill(name);
  await admin.getByLabel("Role", { exact: true }).selectOption(role);
  if (role === "SYSTEM_OWNER")
    await admin.getByLabel("Team", { exact: true }).selectOption({ label: "Records Management" });
  await admin.getByRole("button", { name: "Create user" }).click();
  const notice = admin.getByRole("status").filter({ hasText: "One-time password for" });
  return { email, name, oneTimePassword: (await notice.locator("code").textContent())! };
}

export async function signInAs(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** A second browser holding a copy of `page`'s cookies: what an attacker with the cookie has. */
export async function stealCookies(browser: Browser, page: Page): Promise<Page> {
  const thief = await browser.newContext();
  await thief.addCookies(await page.context().cookies());
  return thief.newPage();
}

/** The person's first sign-in: the one-time password is replaced, which ends the session; the sign-in page says so. */
export async function replaceOneTimePassword(page: Page, person: { email: string; oneTimePassword: string }) {
  await signInAs(page, person.email, person.oneTimePassword);
  await page.getByLabel("Current password").fill(person.oneTimePassword);
  await page.getByLabel("New password (at least 12 characters)").fill(NEW_PASSWORD);
  await page.getByLabel("New password again").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password was changed")).toBeVisible();
}
