import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("software acquisition checklists", () => {
  test("an owner starts and answers a checklist, the manager decides it, and it becomes read-only", async ({
    page,
    browser,
  }) => {
    await signIn(page, "owner");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Acquisitions" }).click();
    await expect(page.getByRole("heading", { name: "Software acquisitions", level: 1 })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Start checklist" }).click();
    await expect(page.getByText("Vendor is required.")).toBeVisible();
    await expect(page.getByText("Choose a reviewer.")).toBeVisible();
    await page.getByLabel("Vendor").fill("Acme");
    await page.getByLabel("Product or service").fill("Gateway Pro");
    await page.getByLabel("Reviewer (manager or admin)").selectOption({ label: "Morgan Manager" });
    await page.getByRole("button", { name: "Start checklist" }).click();
    await expect(page.getByRole("heading", { name: "Acme Gateway Pro", level: 1 })).toBeVisible();
    await expectAccessible(page);

    const questions = page.getByRole("region", { name: "Questions" });
    const groups = questions.getByRole("group");
    await expect(groups).toHaveCount(5);
    for (let i = 0; i < 4; i++) {
      await groups.nth(i).getByLabel("Yes").check();
      await groups
        .nth(i)
        .getByLabel(`Evidence for question ${i + 1}`)
        .fill(`Vendor security guide, section ${i + 1}`);
    }
    await groups.nth(4).getByLabel("Not applicable").check();
    await questions.getByRole("button", { name: "Save answers" }).click();
    await expect(questions.getByRole("status")).toContainText("Answers saved.");
    // The requester cannot decide.
    await expect(page.getByRole("region", { name: "Decide" })).toHaveCount(0);
    const url = page.url();

    const managerContext = await browser.newContext();
    const manager = await managerContext.newPage();
    await signIn(manager, "manager");
    await manager.goto(url);
    const decide = manager.getByRole("region", { name: "Decide" });
    await decide.getByLabel("Approved with conditions").check();
    await decide.getByRole("button", { name: "Record outcome" }).click();
    await expect(decide.getByText("Give the conditions, or the reasons for rejecting.")).toBeVisible();
    await decide.getByLabel("Conditions or reasons").fill("Mutual TLS must be enabled for every client.");
    await decide.getByRole("button", { name: "Record outcome" }).click();
    await expect(manager.getByRole("region", { name: "Outcome" })).toContainText(
      "Mutual TLS must be enabled for every client.",
    );
    await expect(manager.getByRole("button", { name: "Save answers" })).toHaveCount(0);
    await expectAccessible(manager);
    await managerContext.close();

    await page.reload();
    await expect(page.getByRole("button", { name: "Save answers" })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Questions" })).toContainText("Vendor security guide, section 1");
  });

  test("an admin edits the question list; checklists already started keep their questions", async ({ page }) => {
    await signIn(page, "admin");
    await page.goto("/acquisitions/questions");
    await expectAccessible(page);
    await page.getByLabel("New question", { exact: true }).fill("Does it publish an OpenAPI description of every API?");
    await page.getByRole("button", { name: "Add question" }).click();
    await expect(page.getByRole("region", { name: "Question 6" })).toBeVisible();
    await page
      .getByRole("region", { name: "Question 1" })
      .getByRole("textbox", { name: "Question 1", exact: true })
      .fill("Does it support mutual TLS client certificates?");
    await page.getByRole("button", { name: "Save question 1" }).click();
    await expect(page.getByRole("region", { name: "Question 1" }).getByRole("status")).toContainText("Saved.");
    await page.goto("/acquisitions");
    await page.getByRole("link", { name: "Acme Gateway Pro" }).click();
    await expect(page.getByRole("region", { name: "Questions" })).toContainText(
      "Does it support strong client authentication for its APIs",
    );
    await expect(page.getByRole("region", { name: "Questions" })).not.toContainText("OpenAPI description");
  });
});
