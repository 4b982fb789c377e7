import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

const pdf = Buffer.from(
  "%PDF-1.7\n1 0 obj\n<< /Title (API security standard) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
);

test.describe("policies and procedures", () => {
  test("a manager uploads a new standard, an HTML file posing as a PDF is refused, and an admin approves it", async ({
    page,
    browser,
  }) => {
    await signIn(page, "manager");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Policies" }).click();
    await expect(page.getByRole("heading", { name: "Policies and procedures", level: 1 })).toBeVisible();
    await expect(page.getByRole("region", { name: "Required documents" })).toContainText(
      "API security standard: no approved version",
    );
    await expectAccessible(page);
    await page.getByRole("button", { name: "Register document" }).click();
    await expect(page.getByText("Title is required.")).toBeVisible();
    await page.getByLabel("Kind").selectOption({ label: "API security standard" });
    await page.getByLabel("Title").fill("Internal API security standard");
    await page.getByRole("button", { name: "Register document" }).click();
    await expect(page.getByRole("heading", { name: "Internal API security standard", level: 1 })).toBeVisible();
    await expectAccessible(page);

    const upload = page.getByRole("region", { name: "Upload a new version" });
    await upload.getByLabel("Version label").fill("1.0");
    await upload.getByLabel("What changed").fill("First issue");
    await upload.getByLabel("File", { exact: true }).setInputFiles({
      name: "standard.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("<html><script>alert(1)</script></html>"),
    });
    await upload.getByRole("button", { name: "Upload for approval" }).click();
    await expect(upload.getByRole("alert").filter({ hasText: "is not a PDF file" })).toBeVisible();
    await expect(page.getByRole("table", { name: /Versions/ })).toContainText("No versions yet.");

    await upload
      .getByLabel("File", { exact: true })
      .setInputFiles({ name: "API security standard 1.0.pdf", mimeType: "application/pdf", buffer: pdf });
    await upload.getByRole("button", { name: "Upload for approval" }).click();
    await expect(upload.getByRole("status")).toContainText("Version 1 uploaded");
    const versions = page.getByRole("table", { name: /Versions/ });
    await expect(versions).toContainText("Draft — awaiting approval");
    // The uploader cannot approve their own version.
    await expect(page.getByRole("button", { name: "Approve version 1" })).toHaveCount(0);
    const url = page.url();

    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, "admin");
    await admin.goto(url);
    await admin.getByLabel("Approved on").fill("2999-01-01");
    await admin.getByRole("button", { name: "Approve version 1" }).click();
    await expect(
      admin.getByRole("alert").filter({ hasText: "The approval date cannot be in the future." }),
    ).toBeVisible();
    await admin.getByLabel("Approved on").fill(new Date().toISOString().slice(0, 10));
    await admin.getByRole("button", { name: "Approve version 1" }).click();
    await expect(admin.getByRole("region", { name: "In force" })).toContainText("by Alex Admin");
    await expectAccessible(admin);
    const download = await admin.request.get(
      await admin
        .getByRole("link", { name: "Download API security standard 1.0.pdf" })
        .getAttribute("href")
        .then((h) => h!),
    );
    expect(download.status()).toBe(200);
    expect(download.headers()["content-disposition"]).toContain('attachment; filename="API security standard 1.0.pdf"');
    expect(download.headers()["x-content-type-options"]).toBe("nosniff");
    expect(Buffer.from(await download.body()).equals(pdf)).toBe(true);
    await adminContext.close();

    await page.goto("/documents");
    await expect(page.getByRole("region", { name: "Required documents" })).not.toContainText("API security standard");
  });
});
