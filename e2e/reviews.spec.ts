import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

// One quarter's review, end to end: opened by an admin, done and signed off by the team's manager,
// its revoke follow-up completed by the API's owner, and read by an auditor.
test.describe.serial("quarterly access review", () => {
  test("an admin opens the quarter's campaign", async ({ page }) => {
    await signIn(page, "admin");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access reviews" }).click();
    await expect(page.getByRole("heading", { name: "Access reviews", level: 1 })).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("Quarter").fill("2026-Q9");
    await page.getByRole("button", { name: "Open campaign" }).click();
    await expect(page.getByText("Write the quarter like 2026-Q4.")).toBeVisible();
    await page.getByLabel("Quarter").fill("2026-Q4");
    await page.getByRole("button", { name: "Open campaign" }).click();
    await expect(page.getByRole("status").filter({ hasText: /Opened 2026-Q4: \d+ reviews created/ })).toBeVisible();
    const reviews = page.getByRole("region", { name: "2026-Q4 reviews" });
    await expect(reviews).toContainText("Payments Ledger API");
    // The campaign's reviews are a paged list: by API name, or by team through the column header.
    const teams = () => reviews.locator("tbody tr td:nth-child(2)").allTextContents();
    await reviews.getByRole("button", { name: "Team" }).click();
    await expect(page).toHaveURL(/[?&]sort=team\b/);
    await expect
      .poll(async () => {
        const t = await teams();
        return t.length > 1 && t.join("\n") === [...t].sort().join("\n");
      })
      .toBe(true);
    await expect(reviews.getByText(/^Showing 1–\d+ of \d+$/)).toBeVisible();
  });

  test("the manager decides every grant, answers the checklist, signs off, and coverage goes up", async ({ page }) => {
    await signIn(page, "manager");
    const mine = page.getByRole("region", { name: "My reviews and follow-ups" });
    await expect(mine).toContainText("2026-Q4 review of Payments Ledger API");
    // The in-app reminder of the new review.
    await page.getByRole("link", { name: /Notifications \(\d+ unread\)/ }).click();
    await expect(
      page.getByRole("link", { name: /New 2026-Q4 access review: Payments Ledger API, due 2027-01-14/ }),
    ).toBeVisible();
    await page.getByRole("button", { name: "Mark all read" }).click();
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications", exact: true }),
    ).toBeVisible();
    await page.goto("/reviews");
    const before = await page.getByText(/Coverage \d+% \(0 of \d+ signed off\)/).textContent();
    await page
      .getByRole("region", { name: "My reviews and follow-ups" })
      .getByRole("link", { name: "2026-Q4 review of Payments Ledger API" })
      .click();
    await page.getByRole("button", { name: "Start the review" }).click();
    await expect(page.getByRole("heading", { name: /Grants under review/ })).toBeVisible();
    await expectAccessible(page);

    // Signing off with grants undecided is refused.
    await page.getByRole("button", { name: "Save and sign off" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Decide every grant before signing off" })).toBeVisible();

    // Each grant shows the API page's review flags; the unflagged ones can be kept at once.
    const grants = page.getByRole("table", { name: "Frozen grants and decisions" });
    await expect(grants.getByRole("row", { name: /legacy-batch/ })).toContainText("Credential expired on");
    await expect(grants.getByRole("row", { name: /legacy-batch/ })).toContainText("No approver is recorded");
    await expect(grants.getByRole("row", { name: /finance-reporting/ })).toContainText("✓ none");
    // (How many depends on what other specs did to this API's clients before the review started.)
    await page.getByRole("button", { name: /^Keep all unflagged \(\d+\)$/ }).click();
    await expect(page.getByLabel("Decision for finance-reporting")).toHaveValue("KEEP");
    await expect(page.getByLabel("Decision for legacy-batch")).toHaveValue("");
    await expect(page.getByRole("button", { name: /Keep all unflagged/ })).toHaveCount(0);

    const selects = page.getByRole("combobox", { name: /^Decision for / });
    for (let i = 0; i < (await selects.count()); i++) await selects.nth(i).selectOption("KEEP");
    await page.getByLabel("Decision for legacy-batch").selectOption("REVOKE");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Give a reason for revoking or changing the scope.")).toBeVisible();
    await page.getByLabel("Reason for legacy-batch").fill("Expired key, no approver, unused for months");
    for (const group of await page
      .getByRole("group")
      .filter({ has: page.getByRole("radio", { name: "Yes" }) })
      .all())
      await group.getByRole("radio", { name: "Yes" }).check();
    await page.getByLabel("Meeting date").fill("2026-11-20");
    await page.getByLabel("Attendees").fill("Morgan Manager, Olivia Owner");
    await page.getByRole("textbox", { name: "Findings" }).fill("One legacy key to revoke.");
    await page.getByRole("button", { name: "Save and sign off" }).click();
    await expect(page.getByRole("region", { name: "Reviewer" })).toContainText("signed off");
    await expect(page.getByRole("listitem", { name: /Follow-up: Revoke for client “legacy-batch”/ })).toContainText(
      "Owner Olivia Owner",
    );
    await expect(page.getByRole("button", { name: "Save and sign off" })).toHaveCount(0);

    await page.goto("/reviews");
    const after = await page.getByText(/Coverage \d+% \(1 of \d+ signed off\)/).textContent();
    expect(after).not.toBe(before);
  });

  test("the API owner completes the revoke follow-up", async ({ page }) => {
    await signIn(page, "owner");
    const mine = page.getByRole("region", { name: "My reviews and follow-ups" });
    await mine.getByRole("link", { name: /Revoke for client “legacy-batch”/ }).click();
    const followUp = page.getByRole("listitem", { name: /Follow-up: Revoke for client “legacy-batch”/ });
    // Done needs a note saying what was done: it is the evidence the follow-up was closed.
    await followUp.getByRole("button", { name: "Mark done" }).click();
    await expect(followUp.getByText("Say what was done.")).toBeVisible();
    await expect(followUp.getByLabel("What was done")).toBeFocused();
    await expect(followUp).toContainText("Open");
    await followUp.getByLabel("What was done").fill("Key revoked at the gateway; client removed.");
    await followUp.getByRole("button", { name: "Mark done" }).click();
    await expect(followUp).toContainText("Done");
    await expect(followUp).toContainText("Key revoked at the gateway");
  });

  test("an auditor reads the signed review and cannot change it", async ({ page }) => {
    await signIn(page, "auditor");
    await page.goto("/reviews");
    await page
      .getByRole("region", { name: "2026-Q4 reviews" })
      .getByRole("link", { name: "Payments Ledger API" })
      .click();
    await expect(page.getByRole("region", { name: "Reviewer" })).toContainText("signed off");
    await expect(page.getByRole("region", { name: "Review", exact: true })).toContainText(
      "Expired key, no approver, unused for months",
    );
    await expect(page.getByRole("region", { name: "Review", exact: true })).toContainText(
      "Morgan Manager, Olivia Owner",
    );
    await expect(page.getByRole("button")).toHaveCount(1); // only "Sign out"
    await expectAccessible(page);
  });
});
