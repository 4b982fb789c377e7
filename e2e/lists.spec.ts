import { parse } from "csv-parse/sync";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

// Lists that grow share one table kit (components/data-table): paged, sorted and sized by the server,
// with the view in the URL, so a bookmarked link opens the same rows.

const firstColumn = (page: Page) =>
  page.locator("table.data tbody tr").evaluateAll((rows) => rows.map((r) => r.querySelector("td")?.textContent ?? ""));

test.describe("lists", () => {
  test("the audit log pages, sorts and sizes through the URL, and a page past the end offers the last one", async ({
    page,
  }) => {
    await signIn(page, "admin");
    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    const showing = page.getByText(/^Showing 1–50 of [\d,]+$/);
    await expect(showing).toBeVisible();
    const total = Number((await showing.textContent())!.split(" of ")[1]!.replaceAll(",", ""));
    expect(total).toBeGreaterThan(50);
    const newest = (await firstColumn(page)).map(Number);
    expect(newest).toHaveLength(50);
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
    await expectAccessible(page);

    // Oldest first: entry 1 heads the list.
    await page.getByRole("button", { name: "#" }).click();
    await expect(page).toHaveURL(/[?&]sort=seq\b/);
    await expect(page.locator("th[aria-sort=ascending]")).toHaveText(/#/);
    await expect.poll(async () => (await firstColumn(page))[0]).toBe("1");

    // The next page continues where the first stopped; a hundred rows a page starts again at page 1.
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/[?&]page=2\b/);
    await expect.poll(async () => (await firstColumn(page))[0]).toBe("51");
    await page.getByLabel("Rows per page").selectOption("100");
    await expect(page).toHaveURL(/[?&]size=100\b/);
    await expect(page).not.toHaveURL(/[?&]page=/);
    // The server's scheduled jobs (the daily control snapshot) may add an entry while this runs: count again.
    const resized = page.getByText(/^Showing 1–[\d,]+ of [\d,]+$/);
    await expect(resized).toBeVisible();
    const [shown, now] = (await resized.textContent())!
      .replace("Showing 1–", "")
      .split(" of ")
      .map((n) => Number(n.replaceAll(",", "")));
    expect(now).toBeGreaterThanOrEqual(total);
    expect(shown).toBe(Math.min(100, now!));
    await expect.poll(async () => (await firstColumn(page)).length).toBe(Math.min(100, now!));

    // The filter narrows the count; the bookmarked view opens as it was.
    await page.goto("/audit?action=auth.&sort=seq&size=100");
    await expect(page.getByText(/^Showing 1–[\d,]+ of [\d,]+$/)).toBeVisible();
    const signIns = Number((await page.getByText(/^Showing/).textContent())!.split(" of ")[1]!.replaceAll(",", ""));
    expect(signIns).toBeLessThan(total);

    await page.goto("/audit?page=99999");
    await expect(page.getByText(/This list has [\d,]+ pages?\./)).toBeVisible();
    await page.getByRole("link", { name: "Go to the last page" }).click();
    // Newest first, so the last page ends with the first entry.
    await expect(page).toHaveURL(/[?&]page=\d+\b/);
    await expect.poll(async () => (await firstColumn(page)).at(-1)).toBe("1");
  });

  test("the audit log is searched by person and downloaded as the view shows it", async ({ page }) => {
    await signIn(page, "auditor");
    await page.goto("/audit?action=auth.");
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    await page.getByLabel("Search by person or record").fill("AUDITOR@");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/[?&]q=AUDITOR%40/);
    await expect(page).toHaveURL(/[?&]action=auth\./);
    const actors = await page
      .locator("table.data tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.textContent ?? ""));
    expect(actors.length).toBeGreaterThan(0);
    expect(actors.every((t) => t.includes("auditor@"))).toBe(true);
    await expectAccessible(page);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download CSV" }).click();
    const csv = await (await (await download).createReadStream()).toArray();
    // Read as a spreadsheet or another tool would: a real CSV parser (summaries and diffs hold commas).
    const [header, ...records] = parse(
      Buffer.concat(csv)
        .toString("utf8")
        .replace(/^\uFEFF/, ""),
    ) as string[][];
    expect(header).toEqual([
      "seq",
      "at",
      "actorEmail",
      "ip",
      "action",
      "targetType",
      "targetId",
      "summary",
      "diff",
      "prevHash",
      "hash",
    ]);
    expect(records.length).toBeGreaterThan(0);
    // What the search means: the person's address contains what was typed (lower-cased), in the filtered kind.
    for (const r of records) {
      expect(r[2]).toContain("auditor@");
      expect(r[4]).toMatch(/^auth\./);
    }
    expect(records.some((r) => r[2] === "auditor@example.com")).toBe(true);
    // Oldest first.
    const seqs = records.map((r) => Number(r[0]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  test("each register opens sorted as its readers expect and re-sorts by a column header", async ({ page }) => {
    await signIn(page, "admin");
    for (const [path, heading, column] of [
      ["/documents", "Policies and procedures", "Document"],
      ["/incidents", "Incidents", "Incident"],
      ["/training", "Training", "Topic"],
      ["/acquisitions", "Software acquisitions", "Product"],
      ["/audit/api-calls", "REST API call log", "Time (UTC)"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
      await expect(page.getByText(/^Showing [\d,]+–[\d,]+ of [\d,]+$|^Showing 0–0 of 0$/)).toBeVisible();
      await expectAccessible(page);
      const header = page.locator("table.data thead th", { hasText: column });
      const before = await header.getAttribute("aria-sort");
      await header.getByRole("button").click();
      await expect(page).toHaveURL(/[?&]sort=/);
      await expect(header).toHaveAttribute("aria-sort", before === "ascending" ? "descending" : "ascending");
    }
  });

  test("documents sorted by title read A to Z, and Z to A the other way", async ({ page }) => {
    await signIn(page, "admin");
    await page.goto("/documents?sort=title");
    const names = await firstColumn(page);
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual([...names].sort());
    await page.goto("/documents?sort=-title");
    await expect.poll(() => firstColumn(page)).toEqual([...names].reverse());
  });
});
