import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("manager", () => {
  test("corrects a record of their own team, but cannot register, delete or touch other teams' APIs", async ({
    page,
  }) => {
    await signIn(page, "manager");
    await page.goto("/apis?q=legacy+remittance");
    await expect(page.getByRole("link", { name: "Register an API" })).toHaveCount(0);
    await page.getByRole("link", { name: "Legacy Remittance Service" }).click();
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await page.getByRole("link", { name: "Edit" }).click();
    // The API had no owner: the manager assigns one from their team.
    await page.getByLabel("Owner").selectOption({ label: "Olivia Owner (owner@example.com)" });
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("region", { name: "Record" })).toContainText("Olivia Owner");
    await expect(page.getByRole("region", { name: "Change history" })).toContainText(
      "Updated API “Legacy Remittance Service”",
    );
    await expectAccessible(page);

    await page.goto("/apis?q=directory+lookup");
    await page.getByRole("link", { name: "Directory Lookup API" }).click();
    await expect(page.getByRole("heading", { name: "Directory Lookup API", level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
  });

  test("uses the inventory by keyboard alone", async ({ page }) => {
    await signIn(page, "manager");
    await page.goto("/apis");
    const search = page.getByRole("searchbox", { name: "Search APIs" });
    await search.focus();
    await page.keyboard.type("vault");
    // Typed before or after the page has hydrated, every letter is kept.
    await expect(search).toHaveValue("vault");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/q=vault/);
    await expect(page.getByText("Showing 1–1 of 1")).toBeVisible();
    // Tab to the first sortable column header and sort with the keyboard.
    const sortTeam = page.getByRole("button", { name: /^Team/ });
    for (let i = 0; i < 40 && !(await sortTeam.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press("Tab");
    await expect(sortTeam).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/sort=team/);
  });

  test("the session cookie is HttpOnly and SameSite", async ({ page, context }) => {
    await signIn(page, "manager");
    const session = (await context.cookies()).find((c) => c.name.includes("next-auth.session-token"));
    expect(session).toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe("Lax");
  });
});
