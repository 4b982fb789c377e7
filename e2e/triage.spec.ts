import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

// A public-by-design sign-up on an API secured by mTLS: the scan's one critical finding.
const DESCRIPTION = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Grants sign-up", version: "1" },
  components: { securitySchemes: { mtls: { type: "mutualTLS" } } },
  security: [{ mtls: [] }],
  paths: {
    "/signup": { post: { security: [], responses: { "201": { description: "Created" } } } },
    "/grants": { post: { responses: { "201": { description: "Created" } } } },
  },
});

async function registerApi(page: Page, name: string) {
  await page.goto("/apis/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Purpose").fill("Lets applicants sign up and case officers record grants.");
  await page.getByRole("group", { name: "Does it modify data?" }).getByLabel("Yes", { exact: true }).check();
  await page
    .getByRole("group", { name: /public release/ })
    .getByLabel("Yes", { exact: true })
    .check();
  await page.getByLabel("Data sensitivity").selectOption("PROTECTED");
  await page.getByLabel("Mutual TLS").check();
  await page.getByLabel("Authorisation model").selectOption("SCOPES");
  await page.getByRole("button", { name: "Register API" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
}

test("an owner accepts a public sign-up as a risk, the manager approves it, and ISM-2013 is judged without it", async ({
  page,
  browser,
}) => {
  const name = `Grants Sign-up API ${randomUUID().slice(0, 6)}`;
  await signIn(page, "owner");
  await registerApi(page, name);
  const ism2013 = page.getByRole("article", { name: /ISM-2013/ });
  await expect(ism2013).toContainText("Met");

  await page.getByLabel("Description file (JSON or YAML)").setInputFiles({
    name: "openapi.json",
    mimeType: "application/json",
    buffer: Buffer.from(DESCRIPTION),
  });
  await page.getByRole("button", { name: "Attach and scan" }).click();
  // A critical finding: the result is a warning, not a green box.
  const result = page.locator(".alert-warn", { hasText: "Scanned 2 operations" });
  await expect(result).toContainText("the most severe critical");
  await expect(ism2013).toContainText("Not met");
  await expect(page.getByRole("status").filter({ hasText: "still count" })).toContainText(
    "1 of 1 finding still counts, the most severe critical.",
  );

  // Ask for it to be accepted: the reason is required, the approver is the team's manager.
  await page.getByRole("button", { name: /Triage the critical finding at \/paths\/~1signup\/post/ }).click();
  const dialog = page.getByRole("dialog", { name: "Accept the finding, or mark it a false positive" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Ask for approval" }).click();
  await expect(dialog.getByLabel("Why")).toBeFocused();
  await dialog.getByLabel("Why").fill("Sign-up is public by design; the gateway rate-limits it.");
  await dialog.getByLabel("Approver").selectOption({ label: "Morgan Manager (manager)" });
  await dialog.getByRole("button", { name: "Ask for approval" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row", { name: /\/paths\/~1signup\/post/ });
  await expect(row).toContainText("awaiting approval by Morgan Manager");
  // Awaiting approval, it still counts.
  await expect(ism2013).toContainText("Not met");

  // The manager sees it first on the dashboard and approves it.
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, "manager");
  await manager
    .getByRole("link", { name: /OpenAPI finding triages? waits? for your approval/ })
    .first()
    .click();
  await expect(manager.getByRole("heading", { level: 1 })).toBeVisible();
  await manager
    .getByRole("button", { name: /Approve or reject the triage of the critical finding at \/paths\/~1signup\/post/ })
    .click();
  const decide = manager.getByRole("dialog", { name: /Approve or reject/ });
  await expect(decide).toContainText("Sign-up is public by design");
  await decide.getByRole("button", { name: "Approve" }).click();
  await expect(decide).toBeHidden();
  await expect(manager.getByRole("row", { name: /\/paths\/~1signup\/post/ })).toContainText(
    "approved by Morgan Manager, until",
  );
  await managerContext.close();

  // Back with the owner: the operation no longer decides the control, and the page says so.
  await page.reload();
  await expect(ism2013).toContainText("Met");
  await expect(ism2013).toContainText("1 write operation of its OpenAPI description");
  await expect(page.getByRole("status").filter({ hasText: "accepted" })).toContainText(
    "All 1 finding is accepted as risks or false positives, with approval.",
  );
  await expectAccessible(page);

  // Withdrawn, it counts again at once.
  await page.getByRole("button", { name: /Withdraw the triage of the critical finding/ }).click();
  const withdraw = page.getByRole("dialog", { name: "Withdraw the triage" });
  await withdraw.getByLabel("Why is it withdrawn?").fill("The sign-up now needs mTLS as well.");
  await withdraw.getByRole("button", { name: "Withdraw" }).click();
  await expect(withdraw).toBeHidden();
  await expect(ism2013).toContainText("Not met");
});
