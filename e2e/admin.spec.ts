import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("admin", () => {
  test("creates a user who must replace the one-time password, then changes their role and deactivates them", async ({
    page,
    browser,
  }) => {
    await signIn(page, "admin");
    await page.getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { name: "Users and teams", level: 1 })).toBeVisible();
    await expectAccessible(page);

    // Bad input first: nothing is created.
    await page.getByLabel("Email", { exact: true }).fill("not-an-email");
    await page.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByText("Enter a valid email address.")).toBeVisible();
    await expect(page.getByText("Name is required.")).toBeVisible();

    await page.getByLabel("Email", { exact: true }).fill("Rowan.New@Example.com");
    await page.getByLabel("Name", { exact: true }).fill("Rowan New");
    await page.getByLabel("Role", { exact: true }).selectOption("SYSTEM_OWNER");
    await page.getByLabel("Team", { exact: true }).selectOption({ label: "Records Management" });
    await page.getByRole("button", { name: "Create user" }).click();
    const notice = page.getByRole("status").filter({ hasText: "One-time password for" });
    await expect(notice).toBeVisible();
    const password = (await notice.locator("code").textContent())!;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    await expect(page.getByRole("row", { name: /rowan\.new@example\.com/ })).toBeVisible();

    // Duplicate email is refused.
    await page.getByLabel("Email", { exact: true }).fill("rowan.new@example.com");
    await page.getByLabel("Name", { exact: true }).fill("Again");
    await page.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByText("A user with that email already exists.").first()).toBeVisible();

    // The new person signs in and is sent to change the password before anything else.
    const newcomer = await browser.newPage();
    await newcomer.goto("/login");
    await newcomer.getByLabel("Email").fill("rowan.new@example.com");
    await newcomer.getByLabel("Password").fill(password);
    await newcomer.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(newcomer.getByRole("heading", { name: "Change your password" })).toBeVisible();
    await newcomer.getByLabel("Current password").fill(password);
    await newcomer.getByLabel(/New password \(at least/).fill("short");
    await newcomer.getByLabel("New password again").fill("short");
    await newcomer.getByRole("button", { name: "Change password" }).click();
    await expect(newcomer.getByText("Use at least 12 characters.")).toBeVisible();
    await newcomer.getByLabel(/New password \(at least/).fill("a-much-longer-passphrase");
    await newcomer.getByLabel("New password again").fill("a-much-longer-passphrase");
    await newcomer.getByRole("button", { name: "Change password" }).click();
    // The change ends every session of the account: the newcomer signs in again with the new password.
    await expect(newcomer.getByRole("status")).toContainText("every session of your account has ended");
    const signInAgain = async () => {
      await newcomer.getByLabel("Email").fill("rowan.new@example.com");
      await newcomer.getByLabel("Password").fill("a-much-longer-passphrase");
      await newcomer.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(newcomer.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    };
    await signInAgain();
    await expect(newcomer.locator(".who")).toContainText("System owner");

    // A role change ends the sessions opened under the old role; deactivation ends access altogether.
    const row = page.getByRole("row", { name: /rowan\.new@example\.com/ });
    await row.getByLabel("Role of Rowan New").selectOption("AUDITOR");
    await row.getByRole("button", { name: "Save" }).click();
    await expect(row.getByText("Saved.")).toBeVisible();
    await newcomer.reload();
    await expect(newcomer).toHaveURL(/\/login/);
    await signInAgain();
    await expect(newcomer.locator(".who")).toContainText("Auditor");
    await row.getByLabel("Active").uncheck();
    await row.getByRole("button", { name: "Save" }).click();
    await expect(row.getByText("Saved.")).toBeVisible();
    await newcomer.goto("/apis");
    await expect(newcomer).toHaveURL(/\/login/);
    await newcomer.close();

    await page.goto("/audit?action=user.");
    await expect(page.getByRole("table")).toContainText(
      "Role of rowan.new@example.com changed from SYSTEM_OWNER to AUDITOR",
    );
  });

  test("imports an ISM catalog release from the UI, seeing what changed first; a non-catalog file is refused", async ({
    page,
  }) => {
    await signIn(page, "admin");
    await page.goto("/controls");
    await expectAccessible(page);
    await page.getByLabel("ISM catalog (OSCAL JSON)").setInputFiles("package.json");
    await page.getByRole("button", { name: "Preview changes" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "not an OSCAL catalog" })).toBeVisible();

    await page.getByLabel("ISM catalog (OSCAL JSON)").setInputFiles("../shared/data/ism/ISM_catalog-2025.09.json");
    await page.getByRole("button", { name: "Preview changes" }).click();
    await expect(page.getByText("No catalog is in use yet")).toBeVisible();
    await page.getByRole("button", { name: "Import 2025.09.10" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Imported ISM 2025.09.10" })).toBeVisible();

    await page.getByLabel("ISM catalog (OSCAL JSON)").setInputFiles("../shared/data/ism/ISM_catalog-2025.12.json");
    await page.getByRole("button", { name: "Preview changes" }).click();
    await expect(page.getByRole("heading", { name: "21 added" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "6 removed" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "90 revised" })).toBeVisible();
    await page.getByRole("button", { name: "Import 2025.12.9" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Imported ISM 2025.12.9; it is now in use" }),
    ).toBeVisible();
    await page.reload();
    await expect(page.getByText("Official text from ISM release 2025.12.9")).toBeVisible();
    await expect(
      page.getByText(
        "Authentication and authorisation of clients is performed when clients call network APIs that facilitate modification of data but are not accessible over the internet.",
      ),
    ).toBeVisible();

    // What the release changed stays viewable after the import: every change, paged, with the text before
    // and after, and whether any of the six evaluated controls is among them.
    await page.getByRole("link", { name: "What 2025.12.9 changed" }).click();
    await expect(page.getByRole("heading", { name: "ISM release 2025.12.9: what changed", level: 1 })).toBeVisible();
    await expect(page.getByText("Compared with release 2025.09.10")).toBeVisible();
    await expect(page.getByRole("region", { name: "The six controls ApiLedger evaluates" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "21 added" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "6 removed" })).toBeVisible();
    const revised = page.getByRole("region", { name: "90 revised" });
    await expect(revised.getByRole("listitem")).toHaveCount(50);
    await expect(revised.getByText("Before", { exact: true }).first()).toBeVisible();
    await expect(revised.getByText("After", { exact: true }).first()).toBeVisible();
    await expectAccessible(page);
    await revised.getByRole("link", { name: "Next 50" }).click();
    await expect(revised.getByText("Page 2 of 2")).toBeVisible();
    await expect(revised.getByRole("listitem")).toHaveCount(40);
    await page.goto("/controls");

    // The same file again changes nothing.
    await page.getByLabel("ISM catalog (OSCAL JSON)").setInputFiles("../shared/data/ism/ISM_catalog-2025.12.json");
    await page.getByRole("button", { name: "Preview changes" }).click();
    await expect(page.getByText("already been imported")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Import / })).toHaveCount(0);
  });
});

test("admin sets the rotation period and grants are flagged by it; bad values are refused", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Credential rotation period (days)").fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("At least 1 day.")).toBeVisible();
  await page.getByLabel("Credential rotation period (days)").fill("30");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await page.goto("/apis?q=grant+eligibility");
  await page.getByRole("link", { name: "Grant Eligibility Check" }).click();
  // Issued 120 days ago: flagged under a 30-day period.
  await expect(page.getByRole("region", { name: "Clients and grants" })).toContainText("(rotation period 30 days)");
  await page.goto("/settings");
  await page.getByLabel("Credential rotation period (days)").fill("90");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
});
