import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { verifyBundle } from "@/lib/evidence/verify-bundle";
import { readZip } from "@/lib/testing/read-zip";
import { expectAccessible, signIn } from "./helpers";

async function unzipTo(file: string, folder: string): Promise<string[]> {
  const files = await readZip(file);
  for (const [name, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), bytes);
  }
  return [...files.keys()];
}

test.describe("evidence bundles", () => {
  test("an auditor previews a scope, sees a bad one refused, exports, downloads a bundle that verifies, and its index.html fetches nothing", async ({
    page,
    browser,
  }) => {
    // It exports, verifies and reads a bundle, and checks four pages with axe: on a busy two-core CI machine
    // that is more than the default minute.
    test.setTimeout(180_000);
    await signIn(page, "auditor");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Evidence" }).click();
    await expect(page.getByRole("heading", { name: "Evidence bundles", level: 1 })).toBeVisible();
    await expectAccessible(page);
    // Counted rather than assumed empty, so a retry after an export sees the same behaviour.
    const exportRows = page.getByRole("table", { name: "Evidence exports, newest first" }).locator("tbody tr");
    const exportsBefore = await exportRows.count();
    const fingerprint = (await page.getByTestId("key-fingerprint").textContent())!.trim();

    // Dates the wrong way round: refused with the reason, nothing exported.
    await page.getByRole("radio", { name: "Dates" }).check();
    await page.getByLabel("First day").fill("2026-12-31");
    await page.getByLabel("Last day").fill("2026-10-01");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByText(/ends \(2026-10-01\) before it starts \(2026-12-31\)/)).toBeVisible();
    if (exportsBefore === 0) await expect(page.getByText("No bundles exported yet.")).toBeVisible();
    else await expect(exportRows).toHaveCount(exportsBefore);

    await page.getByRole("radio", { name: "A year" }).check();
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByRole("region", { name: /Preview:/ });
    await expect(
      preview.getByRole("row", { name: /APIs in the inventory at the period's end/ }).getByRole("cell"),
    ).toHaveText("40");
    await expect(preview).toContainText(/in-scope API\(s\) have no signed-off access review/);
    await expectAccessible(page);

    await page.getByRole("button", { name: "Export bundle" }).click();
    await expect(page.getByText(/Export started/)).toBeVisible();
    await expect(exportRows).toHaveCount(exportsBefore + 1);
    // Newest first: the first row is this export.
    const link = exportRows.first().getByRole("link", { name: /Download ZIP/ });
    await expect(link).toBeVisible({ timeout: 30_000 });
    await expectAccessible(page);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiledger-e2e-bundle-"));
    const zip = path.join(dir, "bundle.zip");
    await download.saveAs(zip);
    const report = await verifyBundle(zip, { fingerprint });
    expect(report.problems).toEqual([]);
    expect(report.fingerprint).toBe(fingerprint);
    // The bundle carries the checkpoint it was sealed with, and the Evidence page now shows it.
    expect(report.checkpoint?.installation).toBe(fingerprint);
    await page.goto("/evidence");
    // (The hourly one may have been signed since: it covers at least as much.)
    const shown = /entries up to ([\d,]+)/.exec((await page.getByTestId("latest-checkpoint").textContent()) ?? "");
    expect(Number(shown?.[1]?.replace(/,/g, ""))).toBeGreaterThanOrEqual(report.checkpoint!.seq);

    // index.html reads from the unzipped folder with no request beyond itself, and passes the same check.
    const folder = path.join(dir, "unzipped");
    expect(await unzipTo(zip, folder)).toContain("index.html");
    const context = await browser.newContext({ offline: true });
    const reader = await context.newPage();
    const requests: string[] = [];
    reader.on("request", (r) => requests.push(r.url()));
    await reader.goto(`file://${path.join(folder, "index.html")}`);
    await expect(reader.getByRole("heading", { name: /API access-control evidence/, level: 1 })).toBeVisible();
    await expect(reader.getByRole("table")).toContainText("ISM-2013");
    expect(requests).toEqual([`file://${path.join(folder, "index.html")}`]);
    const axe = await new AxeBuilder({ page: reader })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
      .analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await context.close();

    // From an API's page, the scope opens limited to that API.
    await page.goto("/apis?q=Payments%20Ledger");
    await page.getByRole("link", { name: "Payments Ledger API" }).first().click();
    await page.getByRole("link", { name: "Evidence bundle" }).click();
    await expect(page.getByRole("group", { name: "APIs" })).toContainText("Payments Ledger API");
    await page.getByRole("radio", { name: "A year" }).check();
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(
      page
        .getByRole("region", { name: /Preview:/ })
        .getByRole("row", { name: /APIs in the inventory at the period's end/ })
        .getByRole("cell"),
    ).toHaveText("1");
    await expectAccessible(page);

    // The export is on record in the audit log.
    await page.goto("/audit?action=evidence.");
    await expect(page.getByRole("table")).toContainText("evidence.export-requested");
    await expect(page.getByRole("table")).toContainText("evidence.export-stored");
    await expect(page.getByRole("table")).toContainText("bundle stored");
  });

  test("a system owner cannot export: no menu entry, a refusal on the page and 403 from the API", async ({ page }) => {
    await signIn(page, "owner");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Evidence" })).toHaveCount(0);
    await page.goto("/evidence");
    await expect(page.getByText("Only auditors and admins export evidence bundles.")).toBeVisible();
    const response = await page.request.post("/api/v1/evidence/exports", {
      data: { period: "2026" },
      headers: { Origin: new URL(page.url()).origin },
    });
    expect(response.status()).toBe(403);
  });
});
