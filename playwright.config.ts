import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./lib/testing/browser";

// End-to-end tests run against a production build on its own port, with its own SQLite database
// seeded with the demo organisation by the start script, recreated for every run, so they never touch a real install.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const OIDC_PORT = PORT + 1;
const ROLE_MAP = "apiledger-admins=ADMIN,apiledger-owners=SYSTEM_OWNER,apiledger-managers=MANAGER";
// The REST API specs also run against a second server on PostgreSQL.
const PG_PORT = PORT + 2;
export const E2E_DATA_DIR = ".apiledger/e2e";
const PG_DATA_DIR = ".apiledger/e2e-pg";
const PG_URL = process.env.E2E_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/apiledger_e2e";
// Low enough that the rate-limit spec can reach it quickly; the UI specs make few REST calls.
const RATE = "120";
const ADDRESS_RATE = "1000000";
const SIDE_BY_SIDE = !!process.env.E2E_PROJECTS_SIDE_BY_SIDE;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  // One worker per project, as each project's specs share one server and its data. In the full run
  // (E2E_PROJECTS_SIDE_BY_SIDE, set by npm test) the REST specs on PostgreSQL, which have a server of their
  // own, run beside the UI specs, and the REST specs on SQLite, which share the UI specs' server, wait for
  // them; a run of one spec by hand has no such dependency.
  workers: SIDE_BY_SIDE ? 2 : 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: [["list"]],
  projects: [
    { name: "ui", testIgnore: /api\/.*\.spec\.ts/, workers: 1 },
    { name: "api-sqlite", testMatch: /api\/.*\.spec\.ts/, workers: 1, dependencies: SIDE_BY_SIDE ? ["ui"] : [] },
    {
      name: "api-postgres",
      testMatch: /api\/.*\.spec\.ts/,
      workers: 1,
      use: { baseURL: `http://localhost:${PG_PORT}` },
    },
  ],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      // Debian's Chromium when installed, else the one shipped in an npm package (lib/testing/browser.ts);
      // Playwright's own browser download is not possible offline.
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-default-apps",
      ],
    },
  },
  webServer: [
    {
      // A real OpenID Connect provider for the single sign-on test.
      command: `node e2e/oidc-provider.mjs`,
      url: `http://localhost:${OIDC_PORT}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "ignore",
      env: { OIDC_PORT: String(OIDC_PORT), APP_URL: `http://localhost:${PORT}` },
    },
    {
      command: `rm -rf ${E2E_DATA_DIR} && node --import tsx --conditions=react-server lib/cli/start.ts --port ${PORT}`,
      url: `http://localhost:${PORT}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        DATABASE_URL: `file:./${E2E_DATA_DIR}/e2e.db`,
        APILEDGER_DATA_DIR: E2E_DATA_DIR,
        NEXTAUTH_URL: `http://localhost:${PORT}`,
        APILEDGER_LOCKOUT_THRESHOLD: "5",
        APILEDGER_API_RATE_PER_MINUTE: RATE,
        // Every spec calls from 127.0.0.1; the per-address limit is unit- and suite-tested, not here.
        APILEDGER_ADDRESS_RATE_PER_MINUTE: ADDRESS_RATE,
        OIDC_ISSUER: `http://localhost:${OIDC_PORT}`,
        OIDC_CLIENT_ID: "apiledger-e2e",
        OIDC_CLIENT_SECRET: "e2e-client-secret-not-used-anywhere-else",
        OIDC_NAME: "Test SSO",
        OIDC_ROLE_MAP: ROLE_MAP,
      },
    },
    {
      // Started after the first server has built the app, so the two never build at once.
      command: `node e2e/reset-postgres.mjs && rm -rf ${PG_DATA_DIR} && node --import tsx --conditions=react-server lib/cli/start.ts --port ${PG_PORT}`,
      url: `http://localhost:${PG_PORT}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        DATABASE_URL: PG_URL,
        APILEDGER_DATA_DIR: PG_DATA_DIR,
        NEXTAUTH_URL: `http://localhost:${PG_PORT}`,
        // Groups to roles, for SCIM provisioning (no single sign-on on this server).
        OIDC_ROLE_MAP: ROLE_MAP,
        APILEDGER_API_RATE_PER_MINUTE: RATE,
        APILEDGER_ADDRESS_RATE_PER_MINUTE: ADDRESS_RATE,
      },
    },
  ],
});
