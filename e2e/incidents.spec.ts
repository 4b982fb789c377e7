import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("incidents", () => {
  test("a system owner reports an incident, records a notification, and it shows on the API", async ({ page }) => {
    await signIn(page, "owner");
    await page.goto("/apis?q=refunds");
    await page.getByRole("link", { name: "Refunds API" }).click();
    await page.getByRole("link", { name: "Report an incident on this API" }).click();
    await expect(page.getByRole("heading", { name: "Report an incident", level: 1 })).toBeVisible();
    await expect(page).toHaveTitle(/Report an incident/);
    await expectAccessible(page);
    // Affected APIs are chosen by typing part of a name, not from sixty checkboxes; the API it was reported
    // from is already chosen.
    const chosen = page.getByRole("list", { name: "Affected APIs: chosen" });
    await expect(chosen.getByRole("button", { name: "Remove Refunds API" })).toBeVisible();
    await page.getByLabel("Find an API to add").fill("ledg");
    await page.getByRole("button", { name: "Add Payments Ledger API" }).click();
    await expect(chosen.getByRole("button")).toHaveCount(2);
    await expect(page.getByLabel("Find an API to add")).toHaveValue("");
    await chosen.getByRole("button", { name: "Remove Payments Ledger API" }).click();
    await expect(chosen.getByRole("button")).toHaveCount(1);
    await page.getByRole("button", { name: "Report incident" }).click();
    await expect(page.getByText("Title is required.")).toBeVisible();
    await page.getByLabel("Title").fill("Refund created by an unapproved client");
    await page.getByLabel("Type").selectOption("AUTHORISATION_BYPASS");
    await page.getByLabel(/^High —/).check();
    await page.getByLabel("Description").fill("A test client created a refund in production.");
    // A report from the future is refused.
    const reportedAt = await page.getByLabel("Reported at").inputValue();
    await page.getByLabel("Reported at").fill(`${new Date().getUTCFullYear() + 1}-01-01T09:00`);
    await page.getByRole("button", { name: "Report incident" }).click();
    await expect(page.getByText("Reported at is in the future.")).toBeVisible();
    await page.getByLabel("Reported at").fill(reportedAt);
    await page.getByRole("button", { name: "Report incident" }).click();
    await expect(page.getByRole("heading", { name: "Refund created by an unapproved client", level: 1 })).toBeVisible();
    await expectAccessible(page);

    await page.getByRole("radio", { name: "A notification made" }).check();
    await page.getByRole("button", { name: "Add entry" }).click();
    await expect(page.getByText("Say who was notified")).toBeVisible();
    await page.getByLabel("Who was notified").fill("CISO");
    await page.getByLabel("What happened").fill("Briefed the CISO by phone.");
    await page.getByRole("button", { name: "Add entry" }).click();
    const timeline = page.getByRole("region", { name: "Timeline" });
    await expect(timeline).toContainText("notified CISO");
    await page.getByRole("button", { name: "Mark triaged" }).click();
    await expect(timeline).toContainText("Reported → Triaged");

    // A follow-up to prevent recurrence, owned by the manager.
    const followUps = page.getByRole("region", { name: "Follow-ups to prevent recurrence" });
    await followUps.getByLabel("What has to be done").fill("Remove test clients from production");
    await followUps.getByLabel("Who").selectOption({ label: "Morgan Manager" });
    await followUps.getByLabel("Due").fill("2026-12-31");
    await followUps.getByRole("button", { name: "Add follow-up" }).click();
    await expect(followUps.getByRole("status")).toContainText(
      "Added the follow-up “Remove test clients from production”.",
    );
    await expect(
      followUps.getByRole("listitem", { name: /Follow-up: Remove test clients from production/ }),
    ).toContainText("Owner Morgan Manager");

    // Through to closure: closing needs the root cause and lessons learned. Each step is recorded at the
    // time it happened, never before the step it follows.
    await page.getByLabel(/^When it was contained/).fill("2020-01-01T09:00");
    await page.getByRole("button", { name: "Mark contained" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /It cannot be contained before/ })).toBeVisible();
    await page.getByLabel(/^When it was contained/).fill("");
    await page.getByRole("button", { name: "Mark contained" }).click();
    await expect(timeline).toContainText("Triaged → Contained");
    await page.getByRole("button", { name: "Mark resolved" }).click();
    await expect(timeline).toContainText("Contained → Resolved");
    await page.getByRole("button", { name: "Mark closed" }).click();
    await expect(
      page
        .getByRole("alert")
        .filter({ hasText: "Record the root cause and the lessons learned before closing the incident." }),
    ).toBeVisible();
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Root cause").fill("A test client was granted production access by mistake.");
    await page.getByLabel("Lessons learned").fill("Production grants need a second approver.");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("heading", { name: "Refund created by an unapproved client", level: 1 })).toBeVisible();
    await page.getByRole("button", { name: "Mark closed" }).click();
    await expect(timeline).toContainText("Resolved → Closed");
    // Closed: read-only except for addenda.
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Mark / })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Add an addendum" })).toBeVisible();
    await page.getByLabel("What happened").fill("The vendor confirmed no refunds were paid out.");
    await page.getByRole("button", { name: "Add entry" }).click();
    await expect(timeline).toContainText("The vendor confirmed no refunds were paid out.");
    await expect(timeline).toContainText("addendum");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Refunds API" }).click();
    await expect(page.getByRole("region", { name: "Incidents" })).toContainText(
      "Refund created by an unapproved client",
    );
  });

  test("an auditor reads incidents but cannot report or change them", async ({ page }) => {
    await signIn(page, "auditor");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents" }).click();
    await expect(page.getByRole("link", { name: "Report an incident" })).toHaveCount(0);
    await page.getByRole("link", { name: "Refund created by an unapproved client" }).click();
    await expect(page.getByRole("button", { name: /^Mark / })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await page.goto("/incidents/new");
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  });
});
