// A new installation (APILEDGER_DEMO=0, empty database) leads a newcomer from the sign-in page to a first
// registered API without the README: the sign-in page says how to create the first administrator, the
// dashboard lists the first steps, and each empty page says what to do — in a real browser against a
// started server, with the real CLI.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser } from "@/lib/testing/browser";
import { startAppServer, type StartedApp } from "@/lib/testing/app-server";

const run = promisify(execFile);

describe("first run of a new installation", () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startAppServer({ provider: "sqlite", port: 3183, env: { APILEDGER_DEMO: "0" } });
  }, 900_000);
  afterAll(async () => {
    await app?.stop();
  });

  it("goes from a bare sign-in page to a first registered API, guided at each step", async () => {
    const { browser, page } = await openBrowser();
    try {
      await page.goto(`${app.url}/login`);
      const hint = page.getByRole("note").filter({ hasText: "A new installation." });
      await hint.waitFor();
      const command = (await hint.locator("code").textContent())!;
      expect(command).toMatch(/^npm run user:create -- --email \S+ --role ADMIN/);

      // The command the page gives, as an operator runs it (with their own address and name).
      const { stdout } = await run(
        "node",
        [
          "--import",
          "tsx",
          "--conditions=react-server",
          "lib/cli/user-create.ts",
          "--email",
          "first.admin@agency.example",
          "--role",
          "ADMIN",
          "--name",
          "First Admin",
        ],
        { env: { ...process.env, DATABASE_URL: app.databaseUrl, APILEDGER_DATA_DIR: app.dataDir } },
      );
      const oneTime = /One-time password: (\S+)/.exec(stdout)![1]!;

      await page.goto(`${app.url}/login`);
      expect(await page.getByText("A new installation.").count()).toBe(0);
      await page.getByLabel("Email").fill("first.admin@agency.example");
      await page.getByLabel("Password").fill(oneTime);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      // The one-time password is replaced first.
      await page.getByLabel("Current password").fill(oneTime);
      await page.getByLabel("New password (at least 12 characters)").fill("Correct-horse-battery-9");
      await page.getByLabel("New password again").fill("Correct-horse-battery-9");
      await page.getByRole("button", { name: "Change password" }).click();
      // A password change ends every session, this one included: the sign-in page says so.
      await page.getByText("Your password was changed").waitFor();
      await page.getByLabel("Email").fill("first.admin@agency.example");
      await page.getByLabel("Password").fill("Correct-horse-battery-9");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      // A new installation requires administrators to have a second factor: enrolment comes next, with an
      // authenticator app whose code is computed here from the key the page shows.
      await page.getByRole("heading", { name: "Enrol a second factor", level: 1 }).waitFor();
      await page.goto(`${app.url}/apis`);
      await page.getByRole("heading", { name: "Enrol a second factor", level: 1 }).waitFor();
      await page.getByRole("button", { name: "Set up an authenticator app" }).click();
      const secret = (await page.getByTestId("totp-secret").textContent())!;
      await page.getByLabel("Code from the app").fill(await generate({ secret }));
      await page.getByRole("button", { name: "Add authenticator app" }).click();
      const codes = page.getByRole("list", { name: "Recovery codes" });
      await codes.waitFor();
      expect(await codes.getByRole("listitem").count()).toBe(10);
      await page.getByRole("button", { name: "I have saved them" }).click();
      await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();

      const setup = page.getByRole("region", { name: "Getting started" });
      await setup.waitFor();
      expect(await setup.textContent()).toContain("0 of 5 done");

      // Registering an API before any team exists says what to do instead of offering an empty list.
      await page.goto(`${app.url}/apis`);
      expect(await page.getByText("No API is registered yet.").count()).toBe(1);
      await page.getByRole("link", { name: "Register an API" }).first().click();
      const noTeam = page.getByRole("note").filter({ hasText: "no team exists yet" });
      await noTeam.waitFor();
      await noTeam.getByRole("link", { name: "Create a team on the Users page" }).click();

      await page.getByLabel("Team name").fill("Payments");
      await page.getByRole("button", { name: "Create team" }).click();
      await page.getByRole("cell", { name: "Payments", exact: true }).first().waitFor();

      await page.goto(`${app.url}/`);
      await setup.getByRole("link", { name: "Register an API" }).click();
      await page.getByRole("heading", { name: "Register an API", level: 1 }).waitFor();
      await page.getByLabel("Name", { exact: true }).fill("Payments Ledger API");
      await page.getByLabel("Purpose").fill("Posts ledger entries for payments.");
      expect(await page.getByLabel("Owning team").inputValue()).not.toBe("");
      await page.getByRole("button", { name: "Register API" }).click();
      await page.getByRole("heading", { name: "Payments Ledger API", level: 1 }).waitFor();

      await page.goto(`${app.url}/`);
      await setup.waitFor();
      const steps = await setup.getByRole("listitem").evaluateAll((items) => items.map((i) => i.ariaLabel));
      expect(steps).toContain("Create the teams that own APIs: done");
      expect(steps).toContain("Register the first API: done");
      expect(steps).toContain("Open the quarter's access-review campaign: to do");
    } finally {
      await browser.close();
    }
  });
});
