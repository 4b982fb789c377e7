import { expect, test } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

test.describe("auditor", () => {
  test("reads everything, but every edit control is absent and forged writes are refused with 403", async ({
    page,
  }) => {
    await signIn(page, "auditor");
    await page.goto("/apis?q=ledger");
    await expect(page.getByRole("link", { name: "Register an API" })).toHaveCount(0);
    await page.getByRole("link", { name: "Payments Ledger API" }).click();
    await expect(page.getByRole("heading", { name: "Payments Ledger API" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await expectAccessible(page);

    const id = page.url().split("/").pop()!;
    const origin = new URL(page.url()).origin;
    const read = await page.request.get(`/api/v1/apis/${id}`);
    expect(read.status()).toBe(200);
    const etag = read.headers()["etag"]!;
    const body = await read.json();

    // Forged writes with the auditor's own session: the policy refuses them.
    const del = await page.request.delete(`/api/v1/apis/${id}`, { headers: { Origin: origin } });
    expect(del.status()).toBe(403);
    const put = await page.request.put(`/api/v1/apis/${id}`, {
      headers: { Origin: origin, "If-Match": etag },
      data: { ...body, name: "Hacked" },
    });
    expect(put.status()).toBe(403);
    const post = await page.request.post("/api/v1/apis", { headers: { Origin: origin }, data: { name: "x" } });
    expect([400, 403]).toContain(post.status());

    // …and nothing changed.
    await page.reload();
    await expect(page.getByRole("heading", { name: "Payments Ledger API", level: 1 })).toBeVisible();

    // The edit page itself says no.
    await page.goto(`/apis/${id}/edit`);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await page.goto("/apis/new");
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  });

  test("reads the audit log with the chain verified", async ({ page }) => {
    await signIn(page, "auditor");
    await page.getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Chain intact" })).toBeVisible();
    // The newest entries come first; which ones fill the first page depends on what the specs running beside this
    // one have written, so the auditor narrows the log to API changes, as they would to find one.
    await page.getByRole("navigation", { name: "Filter entries" }).getByRole("link", { name: "API changes" }).click();
    await expect(page).toHaveURL(/action=api\./);
    await expect(page.getByRole("table")).toContainText("api.create");
    await expect(page.getByRole("table")).not.toContainText("client.create");
    await expectAccessible(page);
  });
});

test("the dashboard's trends: this quarter's control results as they stand, earlier quarters only as recorded", async ({
  page,
}) => {
  await signIn(page, "auditor");
  const trends = page.getByRole("region", { name: "Trends" });
  const now = new Date();
  const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  const current = trends.getByRole("group", { name: new RegExp(`^${quarter}: \\d+ results$`) });
  await expect(current).toBeVisible();
  // Its segments add up to the label's total, and each is named with its count.
  const total = Number((await current.getAttribute("aria-label"))!.match(/: (\d+) results/)![1]);
  const counts = await current
    .getByRole("img")
    .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute("aria-label")!.split(": ")[1])));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
  await expect(trends).toContainText(/\d+% met · now/);
  // A new installation kept nothing before today: the earlier quarters say so once, instead of zeros.
  await expect(trends.getByText("No data: results are recorded daily from the first start.")).toHaveCount(1);
  await expectAccessible(page);
});
