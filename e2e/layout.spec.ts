import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

// The shell on a real screen: nothing wider than the window from 1280 px up, a designed phone layout,
// tables that scroll inside their frame with the first column kept in view, dark mode, and the right
// HTTP status for pages that do not exist or that a role may not open.

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

// Every page of the app as an admin sees it (an API's page and a review's included).
const PAGES = [
  "/",
  "/apis",
  "/reviews",
  "/incidents",
  "/documents",
  "/training",
  "/acquisitions",
  "/controls",
  "/evidence",
  "/audit",
  "/users",
  "/settings",
  "/traffic",
  "/traffic/routing",
  "/account",
  "/notifications",
];
async function everyPage(page: Page): Promise<string[]> {
  await page.goto("/apis?q=payments+ledger");
  const api = await page.getByRole("link", { name: "Payments Ledger API" }).first().getAttribute("href");
  return [...PAGES, api!, `${api}/events`];
}

test("from 1280 px up no page scrolls sideways; wide tables scroll in their frame with the first column kept", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, "admin");
  const pages = await everyPage(page);
  for (const width of [1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of pages) {
      await page.goto(path);
      await expect(page.locator("main h1").first()).toBeVisible();
      expect(await pageWidth(page), `${path} at ${width}`).toBe(width);
    }
  }
  // The inventory's own frame scrolls; the API name column stays where it was.
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto("/apis");
  const frame = page.locator(".table-wrap").first();
  const firstCell = frame.locator("tbody tr").first().locator("td, th").first();
  const before = (await firstCell.boundingBox())!.x;
  await frame.evaluate((el) => el.scrollBy({ left: 600 }));
  await expect.poll(() => frame.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  expect(Math.round((await firstCell.boundingBox())!.x)).toBe(Math.round(before));
});

test("enumerations sort by meaning in the inventory, and sensitivity badges are graded", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/apis?sort=sensitivity&size=100");
  const levels = await page.locator("tbody .badge-sens").allTextContents();
  const order = ["UNOFFICIAL", "OFFICIAL", "OFFICIAL: Sensitive", "PROTECTED", "SECRET", "TOP SECRET"];
  const seen = [...new Set(levels)];
  expect(seen.length).toBeGreaterThan(2);
  expect(seen).toEqual(order.filter((l) => seen.includes(l)));
  // Graded: the levels do not share one colour.
  const colours = await page
    .locator("tbody .badge-sens")
    .evaluateAll((els) => [...new Set(els.map((e) => getComputedStyle(e).backgroundColor))]);
  expect(colours.length).toBeGreaterThan(2);
});

test("on a phone the navigation folds behind a menu and the demo banner is one short line", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "manager");
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = nav.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Access reviews" })).toBeHidden();
  expect((await page.locator(".banner").boundingBox())!.height).toBeLessThan(60);
  expect(await pageWidth(page)).toBe(390);
  await menu.click();
  await expect(nav.getByRole("button", { name: "Close menu" })).toHaveAttribute("aria-expanded", "true");
  await nav.getByRole("link", { name: "Access reviews" }).click();
  await expect(page.getByRole("heading", { name: "Access reviews", level: 1 })).toBeVisible();
  // Folded again after navigating, and the page fits the phone.
  await expect(nav.getByRole("link", { name: "Access reviews" })).toBeHidden();
  expect(await pageWidth(page)).toBe(390);
  // An API's page (long URLs, the roles list) fits too.
  await page.goto("/apis?q=ledger");
  await page.locator("tbody a[href^='/apis/']").first().click();
  await expect(page.getByRole("heading", { name: "ISM network-API controls" })).toBeVisible();
  expect(await pageWidth(page)).toBe(390);
  await page.goto("/reviews");
  await expect(page.getByRole("heading", { name: "Access reviews", level: 1 })).toBeVisible();
  await expectAccessible(page);
});

test("dark mode follows the system setting, and every page stays accessible in it", async ({ page }) => {
  test.setTimeout(180_000);
  await page.emulateMedia({ colorScheme: "dark" });
  await signIn(page, "admin");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = background.match(/\d+/g)!.map(Number);
  expect(r! + g! + b!).toBeLessThan(120);
  for (const path of await everyPage(page)) {
    await page.goto(path);
    await expect(page.locator("main h1").first(), path).toBeVisible();
    await expectAccessible(page);
  }
});

test("on a 390 px phone no page scrolls sideways", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "admin");
  for (const path of await everyPage(page)) {
    await page.goto(path);
    await expect(page.locator("main h1").first(), path).toBeVisible();
    expect(await pageWidth(page), path).toBe(390);
  }
});

test("unknown pages answer 404 inside the shell, refused pages 403 saying why, and the icon is public", async ({
  page,
  request,
}) => {
  const icon = await request.get("/icon.svg", { maxRedirects: 0 });
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");

  await signIn(page, "owner");
  const missing = await page.goto("/no-such-page");
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  expect((await page.goto("/apis/no-such-api"))!.status()).toBe(404);

  const refused = await page.goto("/settings");
  expect(refused!.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed", level: 1 })).toBeVisible();
  await expect(page.locator("main").getByRole("alert")).toContainText(
    "Only admins can change the installation's settings.",
  );
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expectAccessible(page);
});
