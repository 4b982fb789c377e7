import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

// The routing page at any inventory size: the API a rule is for is found by typing (the page lists none
// of the inventory), and the suggested rules are a paged table.
test.describe("routing rules", () => {
  test("an admin adds a rule by choosing the API with the keyboard, among its team's APIs only", async ({ page }) => {
    await signIn(page, "admin");
    await page.goto("/traffic/routing");
    const form = page.getByRole("region", { name: "Add a rule" });
    const picker = form.getByRole("combobox", { name: "API the calls are for" });
    await expect(picker).toBeDisabled();
    await form.getByLabel("Team").selectOption({ label: "Payments" });
    await picker.focus();
    await picker.pressSequentially("ledg");
    const list = form.getByRole("listbox", { name: "Matching APIs" });
    await expect(list.getByRole("option", { name: "Payments Ledger API" })).toBeVisible();
    // Only the team's APIs: another team's does not match.
    await picker.fill("");
    await picker.pressSequentially("directory");
    await expect(form.getByRole("status")).toContainText("No API matches");
    await picker.fill("");
    await picker.pressSequentially("ledg");
    await expect(list.getByRole("option", { name: "Payments Ledger API" })).toBeVisible();
    await expect(picker).toHaveAttribute("aria-activedescendant", /.+/);
    await picker.press("Enter");
    await expect(picker).toHaveValue("Payments Ledger API");
    await expect(list).toBeHidden();
    await expectAccessible(page);

    await form.getByLabel("Host").fill("ledger.e2e.example.gov.au");
    await form.getByLabel("Path prefix").fill("/v2");
    await form.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByText("Rule added")).toBeVisible();
    const rules = page.getByRole("table", { name: "Routing rules, in the order they are tried" });
    await expect(rules.getByRole("row", { name: /ledger\.e2e\.example\.gov\.au/ })).toContainText(
      "Payments Ledger API",
    );
    await expect(picker).toHaveValue("");
  });

  test("the suggested rules are a table sorted and paged by the server", async ({ page }) => {
    await signIn(page, "admin");
    await page.goto("/traffic/routing?sort=-api");
    const table = page.getByRole("table", { name: "Suggested routing rules" });
    await expect(table).toBeVisible();
    const apis = await table.locator("tbody tr td:nth-child(2)").allInnerTexts();
    expect(apis.length).toBeGreaterThan(0);
    expect(apis).toEqual([...apis].sort().reverse());
    await expectAccessible(page);
  });
});
