import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("training records", () => {
  test("a manager records a session with attendees and the coverage goes up; attendance imports with a dry run", async ({
    page,
  }) => {
    await signIn(page, "manager");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Training" }).click();
    const coverage = page.getByRole("region", { name: "Coverage" });
    // Other specs (access reviews) may add reviewers; Jo and Priya are API owners not trained this year.
    await expect(coverage).toContainText(/\(\d+ of \d+\)/);
    const [, trained, population] = /\((\d+) of (\d+)\)/.exec((await coverage.textContent()) ?? "")!.map(Number);
    await expectAccessible(page);

    await page.getByRole("link", { name: "Record a session" }).click();
    await expect(page.getByRole("heading", { name: "Record a training session", level: 1 })).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("Date").fill("2999-01-01");
    await page.getByRole("button", { name: "Record session" }).click();
    await expect(page.getByText("Topic is required.")).toBeVisible();
    await expect(
      page.getByText("Record a session once it has been held (the date cannot be in the future)."),
    ).toBeVisible();
    // The keyboard user is taken to the first field in error.
    await expect(page.getByLabel("Topic")).toBeFocused();
    await page.getByLabel("Topic").fill("Mutual TLS for service clients");
    await page.getByLabel("Date").fill(new Date().toISOString().slice(0, 10));
    await page.getByLabel("Trainer").fill("Platform team");
    await page.getByLabel("Duration (minutes)").fill("45");
    await page.getByLabel("Find people").fill("jo");
    await page.getByLabel("Jo Campbell").check();
    await page.getByLabel("Find people").fill("");
    await page.getByLabel("Priya Shah").check();
    await page.getByRole("button", { name: "Record session" }).click();
    await expect(page.getByRole("heading", { name: "Mutual TLS for service clients", level: 1 })).toBeVisible();
    await expect(page.getByRole("region", { name: /Attendees/ })).toContainText("Jo Campbell");
    await expect(page.getByRole("region", { name: /Attendees/ })).toContainText("Priya Shah");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Training", exact: true }).first().click();
    await expect(coverage).toContainText(`(${trained! + 2} of ${population})`);

    await page.getByRole("link", { name: "Import attendance (CSV)" }).click();
    await expect(page.getByRole("heading", { name: "Import training attendance", level: 1 })).toBeVisible();
    await expectAccessible(page);
    const csv = (rows: string[]) => ({
      name: "attendance.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(["email,topic,date,trainer,duration_minutes", ...rows].join("\n")),
    });
    await page
      .getByLabel("CSV file")
      .setInputFiles(csv(["nobody@example.com,Phishing-resistant MFA,2026-11-02,Identity team,30"]));
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByRole("table", { name: "Rows of the file" })).toContainText(
      "email: no user has the address “nobody@example.com”.",
    );
    await expect(page.getByRole("button", { name: /^Import / })).toHaveCount(0);
    await page
      .getByLabel("CSV file")
      .setInputFiles(
        csv([
          "kim.manager@example.com,Phishing-resistant MFA,2026-11-02,Identity team,30",
          "ravi.manager@example.com,Phishing-resistant MFA,2026-11-02,,",
        ]),
      );
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Ready: 1 new session(s), 2 attendance record(s) to add" }),
    ).toBeVisible();
    await page.getByRole("button", { name: "Import 2 row(s)" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Imported: 1 new session(s), 2 attendance record(s) added." }),
    ).toBeVisible();
    await page.goto("/training");
    await expect(page.getByRole("table", { name: /Training sessions/ })).toContainText("Phishing-resistant MFA");
  });

  test("a system owner sees training but cannot record it", async ({ page }) => {
    await signIn(page, "owner");
    await page.goto("/training");
    await expect(page.getByRole("link", { name: "Record a session" })).toHaveCount(0);
    await page.goto("/training/new");
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  });
});
