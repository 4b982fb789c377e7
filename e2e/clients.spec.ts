import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("clients and grants", () => {
  test("a system owner records a client, sees its review flags, and fixes them", async ({ page }) => {
    await signIn(page, "owner");
    await page.goto("/apis?q=payments+ledger");
    await page.getByRole("link", { name: "Payments Ledger API" }).click();
    const panel = page.getByRole("region", { name: "Clients and grants" });
    // Seeded flags show up, flagged clients first.
    await expect(panel.getByRole("row").nth(1)).toContainText("legacy-batch");
    await expect(panel).toContainText("Credential expired on");
    await expect(panel).toContainText("No approver is recorded for this grant.");

    await panel.getByRole("button", { name: "Add a client" }).click();
    await panel.getByLabel("Client name").fill("treasury-dashboard");
    await panel.getByLabel("Credential", { exact: true }).selectOption("OAUTH_CLIENT");
    await panel.getByLabel("May modify data").check();
    await panel.getByLabel("Credential issued").fill("2020-01-01");
    await panel.getByLabel("Credential expires").fill("2019-01-01");
    await panel.getByRole("button", { name: "Add client" }).click();
    await expect(panel.getByText("The expiry date is before the issue date.")).toBeVisible();
    await panel.getByLabel("Credential expires").fill("2030-01-01");
    await panel.getByRole("button", { name: "Add client" }).click();
    const row = panel.getByRole("row", { name: /treasury-dashboard/ });
    await expect(row).toContainText("May modify data on an API holding PROTECTED or higher data.");
    await expect(row).toContainText(/Not rotated for \d+ days/);
    await expect(row).toContainText("No approver is recorded");
    await expectAccessible(page);

    await row.getByRole("button", { name: "Edit client treasury-dashboard" }).click();
    await panel.getByLabel("Approved by").fill("Chief Financial Officer");
    await panel.getByLabel("Last rotated").fill(new Date().toISOString().slice(0, 10));
    await panel.getByLabel("May modify data").uncheck();
    await panel.getByRole("button", { name: "Save client" }).click();
    await expect(panel.getByRole("row", { name: /treasury-dashboard/ })).toContainText("✓ none");
    await expect(page.getByRole("region", { name: "Change history" })).toContainText(
      "Changed the grant of client “treasury-dashboard”",
    );

    // Removing access asks first, in a dialog; going back keeps the grant.
    await panel.getByRole("button", { name: "Remove client treasury-dashboard" }).click();
    const confirm = page.getByRole("dialog", { name: "Remove treasury-dashboard’s access?" });
    await expect(confirm.getByRole("button", { name: "Go back" })).toBeFocused();
    await confirm.getByRole("button", { name: "Go back" }).click();
    await expect(panel.getByRole("row", { name: /treasury-dashboard/ })).toBeVisible();
    await panel.getByRole("button", { name: "Remove client treasury-dashboard" }).click();
    await confirm.getByRole("button", { name: "Remove access" }).click();
    await expect(panel.getByRole("status")).toContainText("Removed treasury-dashboard’s access.");
    await expect(panel.getByRole("row", { name: /treasury-dashboard/ })).toHaveCount(0);
  });

  test("imports clients from CSV only when every row is right", async ({ page }) => {
    await signIn(page, "owner");
    await page.goto("/apis/clients/import");
    await expectAccessible(page);
    const file = (text: string) => ({ name: "clients.csv", mimeType: "text/csv", buffer: Buffer.from(text) });

    await page.getByLabel("CSV file").setInputFiles(file("api,client,colour\nx,y,z\n"));
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Unknown column: colour" })).toBeVisible();

    const bad =
      "api,client,kind,credential_type,expires_at\nRefunds API,case-tool,application,oauth client,2027-02-30\nNo Such API,x,application,api key,\n";
    await page.getByLabel("CSV file").setInputFiles(file(bad));
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "2 of 2 rows have errors" })).toBeVisible();
    await expect(page.getByRole("row", { name: /^2 / })).toContainText(
      "expires_at: Expiry date must be a date like 2026-11-22.",
    );
    await expect(page.getByRole("row", { name: /^3 / })).toContainText("no API is named “No Such API”");
    await expect(page.getByRole("button", { name: /^Import/ })).toHaveCount(0);
    await expectAccessible(page);

    const good =
      "api,client,kind,credential_type,scopes,can_modify,approved_by,approved_at,issued_at\nRefunds API,case-tool,application,oauth client,refunds:read,no,Payments manager,2026-10-01,2026-10-01\nPayments Ledger API,finance-reporting,APPLICATION,OAUTH_CLIENT,ledger:read,no,CFO,2026-10-01,2026-10-01\n";
    await page.getByLabel("CSV file").setInputFiles(file(good));
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Ready: 1 new client(s), 1 update(s)" })).toBeVisible();
    await page.getByRole("button", { name: "Import 2 row(s)" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Imported: 1 new client(s), 1 update(s)." })).toBeVisible();

    await page.goto("/apis?q=refunds");
    await page.getByRole("link", { name: "Refunds API" }).click();
    await expect(page.getByRole("region", { name: "Clients and grants" })).toContainText("case-tool");
  });

  test("an auditor sees clients but no way to change them", async ({ page }) => {
    await signIn(page, "auditor");
    await page.goto("/apis?q=payments+ledger");
    await page.getByRole("link", { name: "Payments Ledger API" }).click();
    const panel = page.getByRole("region", { name: "Clients and grants" });
    await expect(panel).toContainText("gl-reconciliation");
    await expect(panel.getByRole("button")).toHaveCount(0);
    await page.goto("/apis/clients/import");
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  });
});
