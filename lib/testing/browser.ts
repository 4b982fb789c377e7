// The Chromium the tests drive (Playwright specs, the fault suite, the page-section suite). CHROMIUM_PATH
// when set; else Debian's Chromium when installed; else the headless Chromium shipped inside the
// @sparticuz/chromium npm package (a dev dependency: in the registry tarball itself, nothing is fetched),
// unpacked once into .apiledger/browser. `npm test` provides it before its stages, so a fresh machine
// needs no `apt-get install chromium` to run the browser tests.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const ROOT = path.resolve(import.meta.dirname, "../..");
const BUNDLED_DIR = path.join(ROOT, ".apiledger/browser");

/** The browser to launch, without unpacking anything (for configs that must decide synchronously). */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (fs.existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return path.join(BUNDLED_DIR, "chromium");
}

/** The browser to launch, unpacking the bundled one first when there is no other. */
export async function provideChromium(): Promise<{ path: string; source: "CHROMIUM_PATH" | "system" | "bundled" }> {
  if (process.env.CHROMIUM_PATH) return { path: process.env.CHROMIUM_PATH, source: "CHROMIUM_PATH" };
  if (fs.existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: "system" };
  const { default: bundled } = await import("@sparticuz/chromium");
  // The package unpacks into the system temporary folder and reuses whatever is there; a folder of our
  // own (emptied when the package version changes) keeps another version's binary from being picked up.
  const version = JSON.parse(
    fs.readFileSync(path.join(ROOT, "node_modules/@sparticuz/chromium/package.json"), "utf8"),
  ) as { version: string };
  const stamp = path.join(BUNDLED_DIR, "VERSION");
  const unpacked = fs.existsSync(stamp) ? fs.readFileSync(stamp, "utf8").trim() : "";
  if (unpacked !== version.version) fs.rmSync(BUNDLED_DIR, { recursive: true, force: true });
  fs.mkdirSync(BUNDLED_DIR, { recursive: true });
  const tmp = process.env.TMPDIR;
  process.env.TMPDIR = BUNDLED_DIR;
  try {
    const executable = await bundled.executablePath();
    fs.writeFileSync(stamp, version.version);
    return { path: executable, source: "bundled" };
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
}

/** A browser page with no session, as a newcomer opens the app. */
export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  return { browser, page: await (await browser.newContext()).newPage() };
}

/** A browser page signed in with a session's cookies (lib/testing/app-client.ts `cookieHeader()`). */
export async function openSignedIn(baseUrl: string, cookieHeader: string): Promise<{ browser: Browser; page: Page }> {
  const { browser, page } = await openBrowser();
  const context = page.context();
  await context.addCookies(
    cookieHeader.split("; ").map((pair) => ({
      name: pair.slice(0, pair.indexOf("=")),
      value: pair.slice(pair.indexOf("=") + 1),
      url: baseUrl,
    })),
  );
  return { browser, page };
}
