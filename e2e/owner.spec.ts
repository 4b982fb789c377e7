import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("system owner", () => {
  test("registers an API and sees which controls it meets, with the change in its history", async ({ page }) => {
    await signIn(page, "owner");
    await page.getByRole("link", { name: "API inventory" }).click();
    await page.getByRole("link", { name: "Register an API" }).click();
    await expect(page.getByRole("heading", { name: "Register an API" })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel("Name", { exact: true }).fill("Grants Portal Write API");
    await page.getByLabel("Purpose").fill("Lets case officers update grant applications.");
    await page.getByRole("group", { name: "Does it modify data?" }).getByLabel("Yes", { exact: true }).check();
    await page
      .getByRole("group", { name: /public release/ })
      .getByLabel("Yes", { exact: true })
      .check();
    await page.getByLabel("Data sensitivity").selectOption("PROTECTED");
    await page.getByLabel("OAuth 2.0 client credentials").check();
    await page.getByLabel("Authorisation model").selectOption("SCOPES");
    await page
      .getByRole("group", { name: "Are its calls centrally logged?" })
      .getByLabel("No", { exact: true })
      .check();
    await page.getByRole("button", { name: "Register API" }).click();

    await expect(page.getByRole("heading", { name: "Grants Portal Write API", level: 1 })).toBeVisible();
    await expect(page.getByRole("status")).toContainText("Saved");
    const ism2013 = page.getByRole("article", { name: /ISM-2013/ });
    await expect(ism2013).toContainText("Met");
    await expect(ism2013).toContainText(
      "Clients authenticate with OAuth 2.0 client credentials and are authorised by Scopes",
    );
    await expect(page.getByRole("article", { name: /ISM-2015/ })).toContainText("Not met");
    await expect(page.getByRole("article", { name: /ISM-1818/ })).toContainText("Not applicable");
    await expect(page.getByRole("region", { name: "Change history" })).toContainText(
      "Registered API “Grants Portal Write API”",
    );
    await expectAccessible(page);

    // Fix the logging gap: the control turns to met and the history shows the field-level change.
    await page.getByRole("link", { name: "Edit" }).click();
    await page
      .getByRole("group", { name: "Are its calls centrally logged?" })
      .getByLabel("Yes", { exact: true })
      .check();
    await page.getByLabel("Where are they logged?").fill("Splunk index=grants");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("article", { name: /ISM-2015/ })).toContainText("Met");
    await expect(page.getByRole("region", { name: "Change history" })).toContainText("centrallyLogged: false → true");
  });

  test("bad input gets field-level messages and saves nothing", async ({ page }) => {
    await signIn(page, "owner");
    await page.goto("/apis/new");
    await page.getByLabel("Documentation").fill("javascript:alert(1)");
    await page.getByLabel("None", { exact: true }).check();
    await page.getByLabel("Mutual TLS").check();
    await page
      .getByRole("group", { name: "Are its calls centrally logged?" })
      .getByLabel("Yes", { exact: true })
      .check();
    await page.getByRole("button", { name: "Register API" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was saved" })).toBeVisible();
    await expect(page.getByText("Name is required.")).toBeVisible();
    await expect(page.getByText("Purpose is required.")).toBeVisible();
    await expect(page.getByText("Documentation link must be an http:// or https:// address.")).toBeVisible();
    await expect(page.getByText("“None” cannot be combined with other authentication methods.")).toBeVisible();
    await expect(page.getByText("Say where the calls are logged")).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/apis\/new$/);
    await expectAccessible(page);
  });

  test("cannot edit another team's API, in the UI or by a direct request", async ({ page }) => {
    await signIn(page, "owner");
    await page.goto("/apis?q=clearance+register");
    await page.getByRole("link", { name: "Clearance Register API" }).click();
    await expect(page.getByRole("heading", { name: "Clearance Register API" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    const id = page.url().split("/").pop()!;
    const res = await page.request.delete(`/api/v1/apis/${id}`, { headers: { Origin: new URL(page.url()).origin } });
    expect(res.status()).toBe(403);
    expect((await res.json()).type).toMatch(/forbidden$/);
  });
});
