import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("API tokens", () => {
  test("a person creates a token, sees the secret once, and its calls appear in the call log", async ({
    page,
    request,
    browser,
  }) => {
    await signIn(page, "owner");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
    await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
    await expectAccessible(page);
    const form = page.getByRole("region", { name: "New token" });
    await form.getByRole("checkbox", { name: /^inventory:read / }).uncheck();
    await form.getByLabel("Expires after (days)").fill("400");
    await form.getByRole("button", { name: "Create token" }).click();
    await expect(form.getByText("Give the token a name (what it is for).")).toBeVisible();
    await expect(form.getByText("Choose at least one scope.")).toBeVisible();
    await expect(form.getByText("At most 90 days (the administrator's limit).")).toBeVisible();
    await form.getByLabel("Token name").fill("Inventory sync");
    await form.getByRole("checkbox", { name: /^inventory:read / }).check();
    await form.getByLabel("Expires after (days)").fill("30");
    await form.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("new-token").textContent())!.trim();
    expect(secret).toMatch(/^apl_/);
    await expect(page.getByRole("table", { name: "Your API tokens" })).toContainText("Inventory sync");
    await page.reload();
    await expect(page.getByTestId("new-token")).toHaveCount(0);
    await expect(page.getByText(secret)).toHaveCount(0);

    expect(
      (await request.get("/api/v1/apis?limit=1", { headers: { Authorization: `Bearer ${secret}` } })).status(),
    ).toBe(200);
    expect(
      (await request.get("/api/v1/apis/does-not-exist", { headers: { Authorization: `Bearer ${secret}` } })).status(),
    ).toBe(404);

    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, "auditor");
    await admin.goto("/audit/api-calls");
    await expect(admin.getByRole("table", { name: /REST API calls/ })).toContainText("GET /api/v1/apis/does-not-exist");
    await expect(admin.getByRole("table", { name: /REST API calls/ })).toContainText("Inventory sync");
    await expectAccessible(admin);
  });

  test("an admin creates a service account and a token for it; the reference page describes the API", async ({
    page,
  }) => {
    await signIn(page, "admin");
    await page.goto("/account/tokens");
    await page.getByLabel("Service account name").fill("Payments pipeline");
    await page.getByLabel("Team", { exact: true }).selectOption({ label: "Payments" });
    await page.getByRole("button", { name: "Create service account" }).click();
    const account = page.getByRole("region", { name: "Service account Payments pipeline" });
    await expect(account).toBeVisible();
    await account.getByText("New token for Payments pipeline").click();
    await account.getByLabel("Token name").fill("deploy");
    await account.getByRole("checkbox", { name: /^inventory:write / }).check();
    await account.getByRole("button", { name: "Create token" }).click();
    await expect(account.getByTestId("new-token")).toContainText("apl_");
    await expect(account.getByRole("table")).toContainText("deploy");
    await expectAccessible(page);

    await page.goto("/api-docs");
    await expect(page.getByRole("heading", { name: /GET \/api\/v1\/apis — List APIs/ })).toBeVisible();
    await expectAccessible(page);
  });
});
