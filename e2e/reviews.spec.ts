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
    // The quarter is chosen from those without a campaign, not typed.
    await expect(page.getByRole("combobox", { name: "Quarter" })).toBeVisible();
    await page.getByLabel("Quarter").selectOption("2026-Q4");
    await page.getByRole("button", { name: "Open campaign" }).click();
    // What was not assigned is said: Platform Engineering has no manager.
    const opened = page.getByRole("status").filter({ hasText: /Opened 2026-Q4: \d+ reviews created/ });
    await expect(opened).toContainText(/\d+ have no reviewer yet, because their team has no manager/);
    await expect(opened).toContainText("API Gateway Admin");
    await expect(page.getByLabel("Quarter").locator("option", { hasText: "2026-Q4" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Assign \d+ unassigned reviews?$/ })).toBeVisible();
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
    // On a phone the review fits the screen: the grant table scrolls in its own frame.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    await page.setViewportSize({ width: 1280, height: 720 });

    // Signing off with grants undecided is refused: the first undecided grant gets the focus with its error
    // beside it, each missing answer is marked, and the outcome is said beside the button.
    await page.getByRole("button", { name: "Save and sign off" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: /Not signed off yet: \d+ grants without a decision and 6 checklist/ }),
    ).toBeVisible();
    const firstDecision = page.getByRole("combobox", { name: /^Decision for / }).first();
    await expect(firstDecision).toBeFocused();
    await expect(firstDecision).toBeInViewport();
    await expect(firstDecision).toHaveAccessibleDescription("Decide this grant.");
    await expect(page.getByText("— answer this item")).toHaveCount(6);
    await expect(page.getByRole("dialog")).toHaveCount(0);

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
    // Sign-off is final: it is confirmed with a summary of the decisions; going back changes nothing.
    const confirm = page.getByRole("dialog", { name: /Sign off the 2026-Q4 review of Payments Ledger API\?/ });
    await expect(confirm.getByRole("list", { name: "Decisions" })).toContainText("Revoke: 1");
    await expect(confirm).toContainText("follow-up for the API’s owner (Olivia Owner), due in 14 days");
    await expectAccessible(page);
    await confirm.getByRole("button", { name: "Go back" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByRole("region", { name: "Reviewer" })).not.toContainText("signed off");
    await page.getByRole("button", { name: "Save and sign off" }).click();
    await confirm.getByRole("button", { name: "Sign off" }).click();
    await expect(page.getByRole("region", { name: "Reviewer" })).toContainText("signed off");
    // The reviewer is offered what to do next.
    await expect(page.getByRole("region", { name: "Reviewer" })).toContainText(
      /Your next review: 2026-Q4 review of .+|You have no other open reviews\./,
    );
    await expect(page.getByRole("listitem", { name: /Follow-up: Revoke for client “legacy-batch”/ })).toContainText(
      "Owner Olivia Owner",
    );
    await expect(page.getByRole("button", { name: "Save and sign off" })).toHaveCount(0);

    await page.goto("/reviews");
    const after = await page.getByText(/Coverage \d+% \(1 of \d+ signed off\)/).textContent();
    expect(after).not.toBe(before);
  });

  test("the API owner completes the revoke follow-up, which revokes the live grant", async ({ page }) => {
    await signIn(page, "owner");
    const mine = page.getByRole("region", { name: "My reviews and follow-ups" });
    await mine.getByRole("link", { name: /Revoke for client “legacy-batch”/ }).click();
    const followUp = page.getByRole("listitem", { name: /Follow-up: Revoke for client “legacy-batch”/ });
    await expect(followUp).toContainText("Marking this done removes legacy-batch’s access to the API.");
    // Done needs a note saying what was done: it is the evidence the follow-up was closed.
    await followUp.getByRole("button", { name: "Revoke and mark done" }).click();
    await expect(followUp.getByText("Say what was done.")).toBeVisible();
    await expect(followUp.getByLabel("What was done")).toBeFocused();
    await expect(followUp).toContainText("Open");
    await followUp.getByLabel("What was done").fill("Key revoked at the gateway; client removed.");
    await followUp.getByRole("button", { name: "Revoke and mark done" }).click();
    await page
      .getByRole("dialog", { name: "Revoke legacy-batch’s access?" })
      .getByRole("button", { name: "Revoke access" })
      .click();
    await expect(followUp).toContainText("Done");
    await expect(followUp).toContainText("Key revoked at the gateway");
    await expect(followUp).toContainText("Revoked: the grant of “legacy-batch” was removed.");
    // The review's snapshot diff shows the revocation, and the API page no longer lists the client.
    await expect(
      page.getByRole("note").filter({ hasText: "Grants changed since this review froze them" }),
    ).toContainText("legacy-batch: removed");
    await page.getByRole("link", { name: "Payments Ledger API" }).first().click();
    await expect(page.getByRole("heading", { name: "Payments Ledger API", level: 1 })).toBeVisible();
    await expect(page.getByRole("cell", { name: /^legacy-batch\b/ })).toHaveCount(0);
    await expect(page.getByRole("cell", { name: /^finance-reporting\b/ })).toBeVisible();
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
