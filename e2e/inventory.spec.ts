import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("inventory", () => {
  test("filters, sorts, searches and pages on the server with the view in the URL", async ({ page }) => {
    await signIn(page, "manager");
    await page.goto("/apis");
    await expect(page.getByText("Showing 1–25 of 40")).toBeVisible();
    await expectAccessible(page);

    await page.getByRole("button", { name: /Name/ }).click(); // toggles to descending
    await expect(page).toHaveURL(/sort=-name/);
    await expect(page.getByRole("row").nth(1)).toContainText("Token Service");

    await page.getByText("Filters", { exact: true }).click();
    await page.getByRole("group", { name: "Network exposure" }).getByLabel("Internet-facing").click();
    await expect(page).toHaveURL(/exposure=INTERNET/);
    await expect(page.getByText(/Showing 1–\d+ of 10/)).toBeVisible();

    await page.getByRole("searchbox", { name: "Search APIs" }).fill("citizens");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=citizens/);
    await expect(page.getByRole("row")).toHaveCount(1 + 2);

    // The URL alone reproduces the view.
    const url = page.url();
    await page.goto("/");
    await page.goto(url);
    await expect(page.getByRole("row")).toHaveCount(1 + 2);
  });

  test("keeps focus where the user acted: sorting, the Columns menu, and filters as removable chips", async ({
    page,
  }) => {
    await signIn(page, "manager");
    await page.goto("/apis");
    await expect(page.getByText("Showing 1–25 of 40")).toBeVisible();
    // Sorting by keyboard: the header keeps the focus after the new rows arrive.
    const lifecycle = page.getByRole("button", { name: /^Lifecycle/ });
    await lifecycle.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/[?&]sort=lifecycle\b/);
    await expect(page.locator("th[aria-sort=ascending]")).toContainText("Lifecycle");
    await expect(lifecycle).toBeFocused();

    // The Columns menu stays open across toggles, with the focus on the box just toggled.
    await page.getByText("Columns").click();
    const menu = page.getByRole("group", { name: "Visible columns" });
    await menu.getByLabel("Team").focus();
    await page.keyboard.press("Space");
    await expect(page).toHaveURL(/[?&]hide=team\b/);
    await expect(page.getByRole("columnheader", { name: /Team/ })).toHaveCount(0);
    await expect(menu).toBeVisible();
    await expect(menu.getByLabel("Team")).toBeFocused();
    await menu.getByLabel("Owner").press("Space");
    await expect(page).toHaveURL(/[?&]hide=team%2Cowner\b|[?&]hide=team,owner\b/);
    await expect(menu).toBeVisible();

    // Active filters are a bar of chips; the full panel stays closed until asked for.
    await page.goto("/apis?exposure=INTERNET&sensitivity=OFFICIAL");
    await expect(page.getByRole("group", { name: "Network exposure" })).toBeHidden();
    const chips = page.getByRole("list", { name: "Active filters" });
    await expect(chips.getByRole("button")).toHaveCount(2);
    await chips.getByRole("button", { name: "Remove filter Network exposure: Internet-facing" }).click();
    await expect(page).not.toHaveURL(/exposure=/);
    await expect(page).toHaveURL(/sensitivity=OFFICIAL/);
    await expect(chips.getByRole("button")).toHaveCount(1);
    await expectAccessible(page);
  });

  test("dashboard numbers link to the matching filtered inventory", async ({ page }) => {
    await signIn(page, "owner");
    await page.getByRole("link", { name: /APIs with no owner/ }).click();
    await expect(page).toHaveURL(/owner=none/);
    await expect(page.getByText("Showing 1–5 of 5")).toBeVisible();
    await page.goto("/");
    await page
      .getByRole("region", { name: "ISM network-API controls" })
      .getByRole("link", { name: "2 not met" })
      .first()
      .click();
    await expect(page).toHaveURL(/ism1818=NOT_MET/);
    await expect(page.getByText("Showing 1–2 of 2")).toBeVisible();
  });

  test("hides columns and downloads the current view as CSV", async ({ page }) => {
    await signIn(page, "owner");
    await page.goto("/apis?sensitivity=SECRET");
    await page.getByText("Columns").click();
    await page.getByRole("group", { name: "Visible columns" }).getByLabel("Team").click();
    await expect(page).toHaveURL(/hide=team/);
    await expect(page.getByRole("columnheader", { name: /Team/ })).toHaveCount(0);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download CSV" }).click();
    const file = await download;
    const text = await (await file.createReadStream()).toArray();
    const csv = Buffer.concat(text as Buffer[]).toString("utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toContain("name,purpose,business function,team,owner,lifecycle,environments");
    expect(lines).toHaveLength(1 + 3);
    expect(csv).toContain("Clearance Register API");
  });
});
