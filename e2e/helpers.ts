import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

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
