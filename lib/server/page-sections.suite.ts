// A page's sections load on their own (components/layout/page-section.tsx): with one dashboard section's
// query failing (APILEDGER_FAILPOINT), that section says so with its reference in its place and the
// rest of the dashboard is there, in a real browser (React renders error boundaries in the browser).
import { openSignedIn } from "@/lib/testing/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";
import { AppSession } from "@/lib/testing/app-client";
import { DEMO_PASSWORD } from "@/prisma/demo-data";

describe("dashboard sections", () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startAppServer({ provider: "sqlite", port: 3179, env: { APILEDGER_FAILPOINT: "dashboard:incidents" } });
  }, 900_000);
  afterAll(async () => {
    await app?.stop();
  });

  it("one that fails shows its own error in its place; the others load", async () => {
    const session = new AppSession(app.url);
    await session.signIn("admin@example.com", DEMO_PASSWORD);
    expect(session.isSignedIn()).toBe(true);
    const { browser, page } = await openSignedIn(app.url, session.cookieHeader());
    try {
      await page.goto(`${app.url}/`);
      await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
      const failed = page.getByRole("region", { name: "Incidents" });
      await failed.getByRole("alert").waitFor({ timeout: 30_000 });
      expect(await failed.getByRole("alert").textContent()).toMatch(
        /^This section could not be loaded; the rest of the page is up to date\. Reference: \S+\.$/,
      );
      // The sections around it loaded: figures, controls, reviews, training.
      await page.getByRole("link", { name: /APIs registered/ }).waitFor();
      for (const name of ["ISM network-API controls", "Training coverage", "Policies and procedures"])
        expect(await page.getByRole("heading", { name, level: 2 }).count(), name).toBe(1);
      // Sections stream in on their own: the last may still be on its way when the figures are there.
      await expect.poll(() => page.getByText("Loading…").count(), { timeout: 30_000 }).toBe(0);
      // Trying again asks the server again (the failpoint still fails it).
      await failed.getByRole("button", { name: "Try again" }).click();
      await failed.getByRole("alert").waitFor({ timeout: 30_000 });
    } finally {
      await browser.close();
    }
  });
});
