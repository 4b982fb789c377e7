import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

// Against a real OpenID Connect provider (oidc-provider, started by playwright.config.ts).
test.describe("single sign-on", () => {
  async function ssoLogin(page: import("@playwright/test").Page, login: string) {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
    await page.waitForURL(/localhost:3101/);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any");
    await page.locator('button[type="submit"]').click();
  }

  test("a person in the admins group signs in, gets an account with the mapped role, and it is audited", async ({
    page,
    browser,
  }) => {
    await ssoLogin(page, "ann.admin");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await expect(page.locator(".who")).toContainText("SSO ann.admin");
    await expect(page.locator(".who")).toContainText("Admin");
    await page.goto("/users");
    await expect(page.getByRole("row", { name: /ann\.admin@sso\.example/ })).toBeVisible();
    await expectAccessible(page);

    const auditor = await browser.newPage();
    await signIn(auditor, "auditor");
    await auditor.goto("/audit?action=auth.");
    await expect(auditor.getByRole("table")).toContainText("Signed in with single sign-on: ann.admin@sso.example");
    await auditor.goto("/audit?action=user.");
    await expect(auditor.getByRole("table")).toContainText(
      "Created ann.admin@sso.example (ADMIN) at first single sign-on",
    );
    await auditor.close();
  });

  test("a person with no mapped group is refused with a clear message", async ({ page }) => {
    await ssoLogin(page, "nina.nobody");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("alert").filter({ hasText: "not in any group that has access" })).toBeVisible();
  });
});
